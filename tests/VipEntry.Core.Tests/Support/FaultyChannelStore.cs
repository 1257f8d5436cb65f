using VipEntry.Core.Storage;

namespace VipEntry.Core.Tests.Support;

/// <summary>Delegates to an in-memory channel store; <see cref="FailNext"/> makes the next call of one method throw before it runs.</summary>
public sealed class FaultyChannelStore(InMemoryVipEntryChannelStore inner) : IVipEntryChannelStore
{
    private string? _failNext;

    public void FailNext(string method) => _failNext = method;

    public ValueTask<VipEntryChannelRecord?> FindAsync(string chat, long personId, CancellationToken cancellationToken = default) => inner.FindAsync(chat, personId, cancellationToken);

    public ValueTask<bool> RememberLanguageAsync(string chat, long personId, string language, CancellationToken cancellationToken = default)
    {
        Fault(nameof(RememberLanguageAsync));
        return inner.RememberLanguageAsync(chat, personId, language, cancellationToken);
    }

    public ValueTask RecordInsideAsync(string chat, long personId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Fault(nameof(RecordInsideAsync));
        return inner.RecordInsideAsync(chat, personId, now, cancellationToken);
    }

    public ValueTask RecordOutsideAsync(string chat, long personId, CancellationToken cancellationToken = default)
    {
        Fault(nameof(RecordOutsideAsync));
        return inner.RecordOutsideAsync(chat, personId, cancellationToken);
    }

    public ValueTask OweRevocationsAsync(string chat, long personId, IReadOnlyList<string> links, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Fault(nameof(OweRevocationsAsync));
        return inner.OweRevocationsAsync(chat, personId, links, now, cancellationToken);
    }

    public ValueTask MarkDueAsync(string chat, IReadOnlyCollection<long> personIds, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Fault(nameof(MarkDueAsync));
        return inner.MarkDueAsync(chat, personIds, now, cancellationToken);
    }

    public ValueTask<IReadOnlyList<VipEntryChannelRecord>> ListDueAsync(string chat, DateTimeOffset now, int maxCount, CancellationToken cancellationToken = default) => inner.ListDueAsync(chat, now, maxCount, cancellationToken);

    public ValueTask<bool> TryClaimAsync(VipEntryChannelRecord expected, string claimId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) => inner.TryClaimAsync(expected, claimId, now, leaseUntil, cancellationToken);

    public ValueTask<bool> TryRecordBanAsync(string chat, long personId, string claimId, CancellationToken cancellationToken = default)
    {
        Fault(nameof(TryRecordBanAsync));
        return inner.TryRecordBanAsync(chat, personId, claimId, cancellationToken);
    }

    public ValueTask<bool> TrySettleAsync(VipEntryChannelSettlement settlement, CancellationToken cancellationToken = default)
    {
        Fault(nameof(TrySettleAsync));
        return inner.TrySettleAsync(settlement, cancellationToken);
    }

    public ValueTask ReleaseAsync(string chat, long personId, string claimId, CancellationToken cancellationToken = default) => inner.ReleaseAsync(chat, personId, claimId, cancellationToken);

    private void Fault(string method)
    {
        if (_failNext == method)
        {
            _failNext = null;
            throw new InvalidOperationException($"injected: {method} failed");
        }
    }
}
