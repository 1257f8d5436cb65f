namespace VipEntry.Core.EfCore;

/// <summary>
/// One row of VipEntry's own payments table: a payment recorded once per charge id, with its application, refund and
/// renewal cancellation state and the current claim on the work it owes. Mapped by the same call that maps the ritual,
/// never by the host; read and written only by <see cref="EfCoreVipEntryPaymentStore{TContext}"/>, with single statements.
/// </summary>
internal sealed class VipEntryPaymentEntity
{
    public string ChargeId { get; set; } = "";

    public long PersonId { get; set; }

    public string Currency { get; set; } = "";

    public long Amount { get; set; }

    public DateTimeOffset PaidAt { get; set; }

    public DateTimeOffset PeriodEnd { get; set; }

    public bool IsRecurring { get; set; }

    public bool IsFirstRecurring { get; set; }

    public DateTimeOffset? AppliedAt { get; set; }

    public DateTimeOffset? RefundedAt { get; set; }

    public DateTimeOffset? RenewalCanceledAt { get; set; }

    public string? ClaimOwner { get; set; }

    public DateTimeOffset? ClaimUntil { get; set; }
}
