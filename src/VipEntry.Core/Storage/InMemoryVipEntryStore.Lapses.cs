// Serves R8 (the lapse sweep) and R17 (channel work is owed until confirmed, under leases).
namespace VipEntry.Core.Storage;

public sealed partial class InMemoryVipEntryStore
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VipEntryRecord>> ListClaimableLapsesAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        lock (_gate)
        {
            IReadOnlyList<VipEntryRecord> batch = _records.Values
                .Where(r => IsClaimable(r, now))
                .OrderBy(r => r.SubscriptionEndsAt)
                .ThenBy(r => r.SubscriberId)
                .Take(maxCount)
                .ToList();
            return ValueTask.FromResult(batch);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryClaimLapseAsync(VipEntryRecord expected, string claimId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        lock (_gate)
        {
            if (!_records.TryGetValue(expected.SubscriberId, out var r)
                || !IsClaimable(r, now)
                || r.Stage != expected.Stage
                || !string.Equals(r.GrantTokenHash, expected.GrantTokenHash, StringComparison.Ordinal)
                || !string.Equals(r.GrantLink, expected.GrantLink, StringComparison.Ordinal)
                || !string.Equals(r.LapseClaimId, expected.LapseClaimId, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(false);
            }

            // The first claim moves the grant's link to the lapse; a re-claim keeps the link the first one moved.
            var link = r.LapseClaimId is null ? r.GrantLink : r.LapseLink;
            Replace(r, ClearGrant(r) with { LapseClaimId = claimId, LapseLeaseUntil = leaseUntil, LapseLink = link });
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VipEntryRecord>> ClaimLapsesAsync(string claimId, string reclaimId, DateTimeOffset now, DateTimeOffset leaseUntil, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        ArgumentException.ThrowIfNullOrEmpty(reclaimId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (string.Equals(claimId, reclaimId, StringComparison.Ordinal))
        {
            throw new ArgumentException("The reclaim id must differ from the claim id.", nameof(reclaimId));
        }

        lock (_gate)
        {
            var batch = _records.Values
                .Where(r => IsClaimable(r, now))
                .OrderBy(r => r.SubscriptionEndsAt)
                .ThenBy(r => r.SubscriberId)
                .Take(maxCount)
                .ToList();
            var claimed = new List<VipEntryRecord>(batch.Count);
            foreach (var r in batch)
            {
                // The first claim moves the grant's link to the lapse; a re-claim keeps the link the first one moved.
                var first = r.LapseClaimId is null;
                var next = ClearGrant(r) with
                {
                    LapseClaimId = first ? claimId : reclaimId,
                    LapseLeaseUntil = leaseUntil,
                    LapseLink = first ? r.GrantLink : r.LapseLink,
                };
                Replace(r, next);
                claimed.Add(next);
            }

            return ValueTask.FromResult<IReadOnlyList<VipEntryRecord>>(claimed);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryConfirmLapseAsync(long subscriberId, string claimId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        lock (_gate)
        {
            if (!_records.TryGetValue(subscriberId, out var r)
                || r.LapseHandledAt is not null
                || !string.Equals(r.LapseClaimId, claimId, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(false);
            }

            Replace(r, ClearLapse(r) with { LapseHandledAt = now });
            return ValueTask.FromResult(true);
        }
    }

    private static bool IsClaimable(VipEntryRecord r, DateTimeOffset now) =>
        r.SubscriptionEndsAt <= now && r.LapseHandledAt is null && (r.LapseClaimId is null || r.LapseLeaseUntil <= now);
}
