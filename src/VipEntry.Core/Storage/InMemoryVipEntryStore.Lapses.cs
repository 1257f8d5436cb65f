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
