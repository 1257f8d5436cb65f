namespace VipEntry.Core.Telegram;

/// <summary>What <see cref="IVipEntryStarsSeller.RefundLatestAsync"/> did.</summary>
public enum VipEntryStarsRefundOutcome
{
    /// <summary>The payment was refunded now, the subscription ended (the channel worker removes the member) and the member told.</summary>
    Refunded = 0,

    /// <summary>The payment had been refunded already (Telegram says so); the subscription is ended, nothing else was done twice.</summary>
    AlreadyRefunded = 1,

    /// <summary>The member never paid with Stars.</summary>
    NoPayment = 2,

    /// <summary>
    /// <c>refundStarPayment</c> failed: the payment is marked refunded (it is never applied again and its renewal is
    /// canceled) but the money was not returned and the subscription goes on. Ask again: the refund is retried.
    /// </summary>
    Failed = 3,
}
