using VipEntry.Core.Storage;

namespace VipEntry.Load.Workers;

/// <summary>
/// The EF channel store as the run uses it, counting what one scope (one cycle) did with it: due lists read, records
/// claimed, settlements that found the facts changed. Reported on the <c>Cycle</c> line, to see how long cycles spend on
/// R19's owed work. Everything else goes to the store unchanged.
/// </summary>
public sealed class ChannelStoreProbe(IVipEntryChannelStore inner) : IVipEntryChannelStore
{
    private int _lists;
    private int _claims;
    private int _lost;

    public int Lists => _lists;

    public int Claims => _claims;

    public int SettlementsLost => _lost;

    public ValueTask<VipEntryChannelRecord?> FindAsync(string chat, long personId, CancellationToken cancellationToken = default) =>
        inner.FindAsync(chat, personId, cancellationToken);

    public ValueTask<bool> RememberLanguageAsync(string chat, long personId, string language, CancellationToken cancellationToken = default) =>
        inner.RememberLanguageAsync(chat, personId, language, cancellationToken);

    public ValueTask RecordInsideAsync(string chat, long personId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.RecordInsideAsync(chat, personId, now, cancellationToken);

    public ValueTask RecordOutsideAsync(string chat, long personId, CancellationToken cancellationToken = default) =>
        inner.RecordOutsideAsync(chat, personId, cancellationToken);

    public ValueTask OweRevocationsAsync(string chat, long personId, IReadOnlyList<string> links, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.OweRevocationsAsync(chat, personId, links, now, cancellationToken);

    public ValueTask MarkDueAsync(string chat, IReadOnlyCollection<long> personIds, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.MarkDueAsync(chat, personIds, now, cancellationToken);

    public ValueTask<IReadOnlyList<VipEntryChannelRecord>> ListDueAsync(string chat, DateTimeOffset now, int maxCount, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lists);
        return inner.ListDueAsync(chat, now, maxCount, cancellationToken);
    }

    public async ValueTask<bool> TryClaimAsync(VipEntryChannelRecord expected, string claimId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        var claimed = await inner.TryClaimAsync(expected, claimId, now, leaseUntil, cancellationToken).ConfigureAwait(false);
        if (claimed)
        {
            Interlocked.Increment(ref _claims);
        }

        return claimed;
    }

    public ValueTask<bool> TryRecordBanAsync(string chat, long personId, string claimId, CancellationToken cancellationToken = default) =>
        inner.TryRecordBanAsync(chat, personId, claimId, cancellationToken);

    public async ValueTask<bool> TrySettleAsync(VipEntryChannelSettlement settlement, CancellationToken cancellationToken = default)
    {
        var settled = await inner.TrySettleAsync(settlement, cancellationToken).ConfigureAwait(false);
        if (!settled)
        {
            Interlocked.Increment(ref _lost);
        }

        return settled;
    }

    public ValueTask ReleaseAsync(string chat, long personId, string claimId, CancellationToken cancellationToken = default) =>
        inner.ReleaseAsync(chat, personId, claimId, cancellationToken);
}
