using VipEntry.Core.Storage;

namespace VipEntry.Core.Telegram.Tests.Stars;

/// <summary>The in-memory payment store, with one method scripted to throw (the database is down) the next time it is called.</summary>
internal sealed class FaultyPaymentStore(InMemoryVipEntryPaymentStore inner) : IVipEntryPaymentStore
{
    private readonly Lock _gate = new();
    private string? _failNext;

    public InMemoryVipEntryPaymentStore Inner => inner;

    /// <summary>Makes the next call of <paramref name="method"/> throw.</summary>
    public void FailNext(string method)
    {
        lock (_gate)
        {
            _failNext = method;
        }
    }

    /// <summary>Whether the scripted failure has happened.</summary>
    public bool Failed
    {
        get
        {
            lock (_gate)
            {
                return _failNext is null;
            }
        }
    }

    public ValueTask<VipEntryPaymentClaim> TryClaimAsync(VipEntryPayment payment, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        Check(nameof(TryClaimAsync));
        return inner.TryClaimAsync(payment, owner, now, leaseUntil, cancellationToken);
    }

    public ValueTask<bool> MarkAppliedAsync(string chargeId, string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Check(nameof(MarkAppliedAsync));
        return inner.MarkAppliedAsync(chargeId, owner, now, cancellationToken);
    }

    public ValueTask ReleaseAsync(string chargeId, string owner, CancellationToken cancellationToken = default)
    {
        Check(nameof(ReleaseAsync));
        return inner.ReleaseAsync(chargeId, owner, cancellationToken);
    }

    public ValueTask<IReadOnlyList<VipEntryPayment>> ClaimUnappliedAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int maxCount, CancellationToken cancellationToken = default)
    {
        Check(nameof(ClaimUnappliedAsync));
        return inner.ClaimUnappliedAsync(owner, now, leaseUntil, maxCount, cancellationToken);
    }

    public ValueTask<VipEntryPayment?> FindAsync(string chargeId, CancellationToken cancellationToken = default)
    {
        Check(nameof(FindAsync));
        return inner.FindAsync(chargeId, cancellationToken);
    }

    public ValueTask<VipEntryPayment?> FindLatestAsync(long personId, CancellationToken cancellationToken = default)
    {
        Check(nameof(FindLatestAsync));
        return inner.FindLatestAsync(personId, cancellationToken);
    }

    public ValueTask<bool> MarkRefundedAsync(string chargeId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Check(nameof(MarkRefundedAsync));
        return inner.MarkRefundedAsync(chargeId, now, cancellationToken);
    }

    public ValueTask<IReadOnlyList<VipEntryPayment>> ClaimOwedCancellationsAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int maxCount, CancellationToken cancellationToken = default)
    {
        Check(nameof(ClaimOwedCancellationsAsync));
        return inner.ClaimOwedCancellationsAsync(owner, now, leaseUntil, maxCount, cancellationToken);
    }

    public ValueTask<bool> ConfirmRenewalCanceledAsync(string chargeId, string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Check(nameof(ConfirmRenewalCanceledAsync));
        return inner.ConfirmRenewalCanceledAsync(chargeId, owner, now, cancellationToken);
    }

    private void Check(string method)
    {
        lock (_gate)
        {
            if (_failNext != method)
            {
                return;
            }

            _failNext = null;
        }

        throw new InvalidOperationException($"The database is down ({method}).");
    }
}
