namespace VipEntry.Core.Storage;

/// <summary>
/// Where payments for VIP access are recorded, once per charge id, with the work each one owes: applying it to the
/// subscription (activation or renewal) and, after a refund, canceling its renewal. Owed work is handed to one holder at a
/// time under a lease, and to a worker when a holder died without confirming it. Every method is one atomic step, correct
/// across threads, processes and replicas sharing one database.
/// </summary>
/// <remarks>Instants are handed in already truncated to whole microseconds (see <see cref="IVipEntryStore"/>).</remarks>
public interface IVipEntryPaymentStore
{
    /// <summary>The longest charge id.</summary>
    public const int MaxChargeIdLength = 128;

    /// <summary>The longest currency code.</summary>
    public const int MaxCurrencyLength = 8;

    /// <summary>The longest owner token.</summary>
    public const int MaxOwnerLength = 64;

    /// <summary>
    /// Records <paramref name="payment"/> when its charge id is new, and claims the application for
    /// <paramref name="owner"/> until <paramref name="leaseUntil"/>; when the charge id is recorded already, claims it
    /// only if it is not applied and its lease ran out (before or at <paramref name="now"/>). A recorded payment's
    /// fields are never overwritten by a redelivery (its <see cref="VipEntryPayment.AppliedAt"/>, refund and cancel
    /// fields are ignored here). A refunded payment is never applied: it answers <see cref="VipEntryPaymentClaim.AlreadyApplied"/>.
    /// </summary>
    /// <param name="payment">The payment as received.</param>
    /// <param name="owner">The claim's token (at most <see cref="MaxOwnerLength"/> characters).</param>
    /// <param name="now">The current instant.</param>
    /// <param name="leaseUntil">Until when the claim holds while not applied.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>What was found.</returns>
    ValueTask<VipEntryPaymentClaim> TryClaimAsync(VipEntryPayment payment, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a claimed payment applied, if <paramref name="owner"/> still holds it, it is not applied and it is not refunded
    /// (a refund ends the claim: a refunded payment is never applied, even by a holder that shares its token with the
    /// holder of the renewal cancellation's claim).
    /// </summary>
    /// <param name="chargeId">The charge id.</param>
    /// <param name="owner">The claim's token.</param>
    /// <param name="now">The current instant (kept as <see cref="VipEntryPayment.AppliedAt"/>).</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>Whether the claim was still the owner's and the payment is now applied.</returns>
    ValueTask<bool> MarkAppliedAsync(string chargeId, string owner, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives an application claim back (applying failed), if <paramref name="owner"/> still holds it and the payment is
    /// neither applied nor refunded: the next claimer takes it at once. A renewal cancellation's claim is not given back
    /// (it is handed out again when its lease runs out).
    /// </summary>
    /// <param name="chargeId">The charge id.</param>
    /// <param name="owner">The claim's token.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>A task.</returns>
    ValueTask ReleaseAsync(string chargeId, string owner, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims at most <paramref name="maxCount"/> recorded payments that are not applied, not refunded, and whose lease ran out (a
    /// holder died between recording and applying), for <paramref name="owner"/> until <paramref name="leaseUntil"/>,
    /// oldest <see cref="VipEntryPayment.PaidAt"/> first. Apply each, then <see cref="MarkAppliedAsync"/>.
    /// </summary>
    /// <param name="owner">The claim's token.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="leaseUntil">Until when the claims hold.</param>
    /// <param name="maxCount">The most payments claimed (a bounded batch, at least 1).</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>The claimed payments.</returns>
    ValueTask<IReadOnlyList<VipEntryPayment>> ClaimUnappliedAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Reads one payment.</summary>
    /// <param name="chargeId">The charge id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The payment, or <see langword="null"/> when none has that charge id.</returns>
    ValueTask<VipEntryPayment?> FindAsync(string chargeId, CancellationToken cancellationToken = default);

    /// <summary>Reads a member's latest payment (the greatest <see cref="VipEntryPayment.PaidAt"/>; ties broken by charge id).</summary>
    /// <param name="personId">The member.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The payment, or <see langword="null"/> when the member never paid.</returns>
    ValueTask<VipEntryPayment?> FindLatestAsync(long personId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a payment refunded at <paramref name="now"/> and owes the cancellation of its subscription's renewal. Only
    /// the first call marks it; later calls change nothing.
    /// </summary>
    /// <param name="chargeId">The charge id.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>Whether this call marked it (<see langword="false"/>: no such payment, or refunded already).</returns>
    ValueTask<bool> MarkRefundedAsync(string chargeId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims at most <paramref name="maxCount"/> refunded payments whose renewal cancellation is owed and whose lease ran
    /// out, for <paramref name="owner"/> until <paramref name="leaseUntil"/>, oldest refund first. Cancel each, then
    /// <see cref="ConfirmRenewalCanceledAsync"/>; a failed cancellation is handed out again when the lease runs out.
    /// </summary>
    /// <param name="owner">The claim's token.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="leaseUntil">Until when the claims hold.</param>
    /// <param name="maxCount">The most payments claimed (a bounded batch, at least 1).</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>The claimed payments.</returns>
    ValueTask<IReadOnlyList<VipEntryPayment>> ClaimOwedCancellationsAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Confirms that a refunded payment's renewal is canceled, if <paramref name="owner"/> still holds its claim.</summary>
    /// <param name="chargeId">The charge id.</param>
    /// <param name="owner">The claim's token.</param>
    /// <param name="now">The current instant (kept as <see cref="VipEntryPayment.RenewalCanceledAt"/>).</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>Whether the confirmation landed.</returns>
    ValueTask<bool> ConfirmRenewalCanceledAsync(string chargeId, string owner, DateTimeOffset now, CancellationToken cancellationToken = default);
}
