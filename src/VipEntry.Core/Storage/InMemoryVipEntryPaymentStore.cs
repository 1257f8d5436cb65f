namespace VipEntry.Core.Storage;

/// <summary>
/// A thread-safe, process-local <see cref="IVipEntryPaymentStore"/> with exactly the semantics of the database stores.
/// For a host's unit tests and single-process demos; state is lost when the process ends.
/// </summary>
public sealed class InMemoryVipEntryPaymentStore : IVipEntryPaymentStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Row> _rows = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<VipEntryPaymentClaim> TryClaimAsync(VipEntryPayment payment, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payment);
        CheckChargeId(payment.ChargeId);
        CheckOwner(owner);
        ArgumentException.ThrowIfNullOrEmpty(payment.Currency, nameof(payment));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payment.Currency.Length, IVipEntryPaymentStore.MaxCurrencyLength, nameof(payment));
        lock (_gate)
        {
            if (!_rows.TryGetValue(payment.ChargeId, out var row))
            {
                _rows[payment.ChargeId] = new Row(payment with { AppliedAt = null, RefundedAt = null, RenewalCanceledAt = null }, owner, leaseUntil);
                return ValueTask.FromResult(VipEntryPaymentClaim.Claimed);
            }

            if (row.Payment.AppliedAt is not null || row.Payment.RefundedAt is not null)
            {
                return ValueTask.FromResult(VipEntryPaymentClaim.AlreadyApplied);
            }

            if (row.LeaseUntil > now)
            {
                return ValueTask.FromResult(VipEntryPaymentClaim.HeldElsewhere);
            }

            _rows[payment.ChargeId] = row with { Owner = owner, LeaseUntil = leaseUntil };
            return ValueTask.FromResult(VipEntryPaymentClaim.Claimed);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> MarkAppliedAsync(string chargeId, string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        CheckChargeId(chargeId);
        CheckOwner(owner);
        lock (_gate)
        {
            if (_rows.TryGetValue(chargeId, out var row) && IsOwed(row.Payment) && string.Equals(row.Owner, owner, StringComparison.Ordinal))
            {
                _rows[chargeId] = new Row(row.Payment with { AppliedAt = now }, null, null);
                return ValueTask.FromResult(true);
            }

            return ValueTask.FromResult(false);
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseAsync(string chargeId, string owner, CancellationToken cancellationToken = default)
    {
        CheckChargeId(chargeId);
        CheckOwner(owner);
        lock (_gate)
        {
            // Only an application claim is given back: a renewal cancellation's claim stays until its lease runs out.
            if (_rows.TryGetValue(chargeId, out var row) && IsOwed(row.Payment) && string.Equals(row.Owner, owner, StringComparison.Ordinal))
            {
                _rows[chargeId] = row with { Owner = null, LeaseUntil = null };
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VipEntryPayment>> ClaimUnappliedAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int maxCount, CancellationToken cancellationToken = default)
    {
        CheckOwner(owner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        lock (_gate)
        {
            var due = _rows.Values
                .Where(r => IsOwed(r.Payment) && (r.LeaseUntil is null || r.LeaseUntil <= now))
                .OrderBy(r => r.Payment.PaidAt).ThenBy(r => r.Payment.ChargeId, StringComparer.Ordinal)
                .Take(maxCount).ToList();
            return ValueTask.FromResult<IReadOnlyList<VipEntryPayment>>(Claim(due, owner, leaseUntil));
        }
    }

    /// <inheritdoc />
    public ValueTask<VipEntryPayment?> FindAsync(string chargeId, CancellationToken cancellationToken = default)
    {
        CheckChargeId(chargeId);
        lock (_gate)
        {
            return ValueTask.FromResult(_rows.TryGetValue(chargeId, out var row) ? row.Payment : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<VipEntryPayment?> FindLatestAsync(long personId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var latest = _rows.Values.Select(r => r.Payment).Where(p => p.PersonId == personId)
                .OrderByDescending(p => p.PaidAt).ThenByDescending(p => p.ChargeId, StringComparer.Ordinal)
                .FirstOrDefault();
            return ValueTask.FromResult(latest);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> MarkRefundedAsync(string chargeId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        CheckChargeId(chargeId);
        lock (_gate)
        {
            if (_rows.TryGetValue(chargeId, out var row) && row.Payment.RefundedAt is null)
            {
                _rows[chargeId] = new Row(row.Payment with { RefundedAt = now }, null, null);
                return ValueTask.FromResult(true);
            }

            return ValueTask.FromResult(false);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VipEntryPayment>> ClaimOwedCancellationsAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int maxCount, CancellationToken cancellationToken = default)
    {
        CheckOwner(owner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        lock (_gate)
        {
            var due = _rows.Values
                .Where(r => r.Payment.IsRenewalCancelOwed && (r.LeaseUntil is null || r.LeaseUntil <= now))
                .OrderBy(r => r.Payment.RefundedAt).ThenBy(r => r.Payment.ChargeId, StringComparer.Ordinal)
                .Take(maxCount).ToList();
            return ValueTask.FromResult<IReadOnlyList<VipEntryPayment>>(Claim(due, owner, leaseUntil));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ConfirmRenewalCanceledAsync(string chargeId, string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        CheckChargeId(chargeId);
        CheckOwner(owner);
        lock (_gate)
        {
            if (_rows.TryGetValue(chargeId, out var row) && row.Payment.IsRenewalCancelOwed && string.Equals(row.Owner, owner, StringComparison.Ordinal))
            {
                _rows[chargeId] = new Row(row.Payment with { RenewalCanceledAt = now }, null, null);
                return ValueTask.FromResult(true);
            }

            return ValueTask.FromResult(false);
        }
    }

    private List<VipEntryPayment> Claim(List<Row> due, string owner, DateTimeOffset leaseUntil)
    {
        foreach (var row in due)
        {
            _rows[row.Payment.ChargeId] = row with { Owner = owner, LeaseUntil = leaseUntil };
        }

        return due.Select(r => r.Payment).ToList();
    }

    // Its application is owed: not applied, and not refunded (a refunded payment is never applied).
    private static bool IsOwed(VipEntryPayment payment) => payment.AppliedAt is null && payment.RefundedAt is null;

    private static void CheckChargeId(string chargeId)
    {
        ArgumentException.ThrowIfNullOrEmpty(chargeId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chargeId.Length, IVipEntryPaymentStore.MaxChargeIdLength, nameof(chargeId));
    }

    private static void CheckOwner(string owner)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(owner.Length, IVipEntryPaymentStore.MaxOwnerLength, nameof(owner));
    }

    private sealed record Row(VipEntryPayment Payment, string? Owner, DateTimeOffset? LeaseUntil);
}
