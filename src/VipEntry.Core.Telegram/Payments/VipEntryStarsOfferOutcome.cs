namespace VipEntry.Core.Telegram;

/// <summary>What <see cref="IVipEntryStarsSeller.OfferAsync(long, System.Globalization.CultureInfo?, CancellationToken)"/> did.</summary>
public enum VipEntryStarsOfferOutcome
{
    /// <summary>The offer (a message with a button that opens a Stars subscription invoice) was sent.</summary>
    Sent = 0,

    /// <summary>The member has an active subscription: they were sent its status instead (no second subscription is offered).</summary>
    AlreadySubscribed = 1,

    /// <summary>Nothing is sold: <see cref="VipEntryTelegramOptions.StarsPrice"/> is not set. Nothing was sent.</summary>
    NotSelling = 2,

    /// <summary>A Bot API call failed (the invoice link or the message); the member may ask again.</summary>
    Failed = 3,
}
