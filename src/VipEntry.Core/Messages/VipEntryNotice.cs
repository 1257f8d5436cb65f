namespace VipEntry.Core.Messages;

/// <summary>The notices shown outside the stage prompts.</summary>
public enum VipEntryNotice
{
    /// <summary>The member is not enrolled (no active subscription known).</summary>
    NotEnrolled,

    /// <summary>The subscription has ended.</summary>
    SubscriptionExpired,

    /// <summary>The access link has expired; a new one can be requested.</summary>
    LinkExpired,

    /// <summary>The ritual is already complete.</summary>
    AlreadyCompleted,

    /// <summary>The link was delivered once and, for the member's safety, is not shown again.</summary>
    LinkAlreadyDelivered,

    /// <summary>A new link was asked for too soon.</summary>
    ReissueTooSoon,

    /// <summary>Someone other than the link's owner tried to use it.</summary>
    Refused,

    /// <summary>The link or code is not valid.</summary>
    InvalidLink,

    /// <summary>The ritual was completed: welcome.</summary>
    Welcome,

    /// <summary>Something failed on our side; try again.</summary>
    TryAgain,

    /// <summary>The member was removed because the subscription ended.</summary>
    RemovedAfterLapse,

    /// <summary>The label of the button under <see cref="AlreadyCompleted"/> that asks for a re-entry link (R16).</summary>
    ReentryButton,

    /// <summary>A member removed after a lapse renewed meanwhile: they can come back in with a re-entry link (R16, R17).</summary>
    EntitledAgain,

    /// <summary>A reminder to a member idle at stage 1, 2 or 3 (R18); the stage's prompt follows it.</summary>
    IdleReminder,

    /// <summary>A reminder that the member's unused link expires soon (R18); <c>{expires}</c> is replaced by the expiry.</summary>
    LinkExpiringReminder,

    /// <summary>A completed member asked for a re-entry link but is already inside the VIP channel (R16, R19).</summary>
    AlreadyInside,

    /// <summary>Telegram Stars (opt-in seller): the title of the subscription offer (at most 32 characters).</summary>
    StarsOfferTitle,

    /// <summary>Telegram Stars: the offer's description (at most 255 characters), also the text of the message that carries it.</summary>
    StarsOfferDescription,

    /// <summary>Telegram Stars: the label of the button that opens the offer's invoice; <c>{price}</c> is replaced by the price in Stars.</summary>
    StarsOfferButton,

    /// <summary>Telegram Stars: the label of the button under <see cref="RemovedAfterLapse"/> that asks for the offer.</summary>
    StarsRenewButton,

    /// <summary>Telegram Stars: the error shown at checkout when the invoice is not the current offer, or belongs to another account.</summary>
    StarsCheckoutRefused,

    /// <summary>Telegram Stars: the member asked to buy while subscribed; <c>{expires}</c> is replaced by the end of the paid period.</summary>
    StarsAlreadySubscribed,

    /// <summary>Telegram Stars: the member's payment was refunded and their subscription ended.</summary>
    StarsRefunded,
}
