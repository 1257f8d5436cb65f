namespace VipEntry.Core.Storage;

/// <summary>
/// One payment for VIP access, as recorded by <see cref="IVipEntryPaymentStore"/>: who paid, how much, until when the
/// period it bought runs, and what has been done with it (applied to the subscription, refunded, its renewal canceled).
/// </summary>
/// <param name="ChargeId">The payment's unique id at the payment provider (Telegram's <c>telegram_payment_charge_id</c>); at most <see cref="IVipEntryPaymentStore.MaxChargeIdLength"/> characters.</param>
/// <param name="PersonId">The member who paid.</param>
/// <param name="Currency">The ISO 4217 code or <c>XTR</c> (Telegram Stars); at most <see cref="IVipEntryPaymentStore.MaxCurrencyLength"/> characters.</param>
/// <param name="Amount">The amount in the currency's smallest unit (whole Stars for <c>XTR</c>).</param>
/// <param name="PaidAt">When the payment was received.</param>
/// <param name="PeriodEnd">Until when the payment gives access (Telegram's <c>subscription_expiration_date</c>).</param>
/// <param name="IsRecurring">Whether the payment belongs to a recurring subscription.</param>
/// <param name="IsFirstRecurring">Whether it is the first payment of that subscription.</param>
/// <param name="AppliedAt">When the payment was applied to the subscription (activation or renewal), or <see langword="null"/> while that is still owed.</param>
/// <param name="RefundedAt">When the payment was refunded, or <see langword="null"/>.</param>
/// <param name="RenewalCanceledAt">When the subscription's renewal was confirmed canceled after a refund, or <see langword="null"/> (owed while <see cref="RefundedAt"/> is set and this is not).</param>
public sealed record VipEntryPayment(
    string ChargeId,
    long PersonId,
    string Currency,
    long Amount,
    DateTimeOffset PaidAt,
    DateTimeOffset PeriodEnd,
    bool IsRecurring,
    bool IsFirstRecurring,
    DateTimeOffset? AppliedAt = null,
    DateTimeOffset? RefundedAt = null,
    DateTimeOffset? RenewalCanceledAt = null)
{
    /// <summary>Whether the renewal of this payment's subscription is owed a cancellation (refunded, not yet confirmed canceled).</summary>
    public bool IsRenewalCancelOwed => RefundedAt is not null && RenewalCanceledAt is null;
}
