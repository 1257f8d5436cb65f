// Serves R9 (reads: a member resumes where they were), R15 (the funnel query) and R5/R6 (the unique token hash and link indexes kept in step).
using VipEntry.Core.Stages;

namespace VipEntry.Core.Storage;

/// <summary>
/// A thread-safe, process-local store with exactly the semantics of the database stores.
/// Meant for a host's unit tests and for single-process demos; state is lost when the process ends.
/// </summary>
public sealed partial class InMemoryVipEntryStore : IVipEntryStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, VipEntryRecord> _records = [];
    private readonly Dictionary<string, long> _byHash = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byLink = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<VipEntryRecord?> FindAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_records.GetValueOrDefault(subscriberId));
        }
    }

    /// <inheritdoc />
    public ValueTask<VipEntryRecord?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        lock (_gate)
        {
            return ValueTask.FromResult(_byHash.TryGetValue(tokenHash, out var id) ? _records[id] : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<VipEntryRecord?> FindByLinkAsync(string link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        lock (_gate)
        {
            return ValueTask.FromResult(_byLink.TryGetValue(link, out var id) ? _records[id] : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<VipEntryStage, int>> CountByStageAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<VipEntryStage, int> counts = _records.Values
                .Where(r => r.IsActiveAt(now))
                .GroupBy(r => r.Stage)
                .ToDictionary(g => g.Key, g => g.Count());
            return ValueTask.FromResult(counts);
        }
    }

    private static VipEntryRecord ClearLapse(VipEntryRecord r) =>
        r with { LapseHandledAt = null, LapseClaimId = null, LapseLeaseUntil = null, LapseLink = null };

    private static VipEntryRecord ClearGrant(VipEntryRecord r) =>
        r with { GrantTokenHash = null, GrantIssuedAt = null, GrantLink = null, GrantNudgedAt = null };

    // Caller holds _gate. Keeps the unique hash and link indexes in step with the record.
    private void Replace(VipEntryRecord old, VipEntryRecord next)
    {
        if (old.GrantTokenHash is { } oldHash)
        {
            _byHash.Remove(oldHash);
        }

        if (old.GrantLink is { } oldLink)
        {
            _byLink.Remove(oldLink);
        }

        if (next.GrantTokenHash is { } hash)
        {
            _byHash[hash] = next.SubscriberId;
        }

        if (next.GrantLink is { } link)
        {
            _byLink[link] = next.SubscriberId;
        }

        _records[next.SubscriberId] = next;
    }
}
