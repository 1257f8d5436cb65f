// Serves R18 (nudges: idle members and expiring grants, each handed out once).
using VipEntry.Core.Stages;

namespace VipEntry.Core.Storage;

public sealed partial class InMemoryVipEntryStore
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VipEntryRecord>> ListIdleAsync(DateTimeOffset now, DateTimeOffset enteredAtOrBefore, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        lock (_gate)
        {
            IReadOnlyList<VipEntryRecord> batch = _records.Values
                .Where(r => r.Stage is VipEntryStage.ActivationConfirmation or VipEntryStage.ExpectationAlignment or VipEntryStage.AccessDelivery
                    && r.IsActiveAt(now)
                    && r.StageNudgedAt is null
                    && (r.StageEnteredAt is null || r.StageEnteredAt <= enteredAtOrBefore))
                .OrderBy(r => r.StageEnteredAt is not null)
                .ThenBy(r => r.StageEnteredAt)
                .ThenBy(r => r.SubscriberId)
                .Take(maxCount)
                .ToList();
            return ValueTask.FromResult(batch);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryClaimIdleNudgeAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        lock (_gate)
        {
            if (!_records.TryGetValue(expected.SubscriberId, out var r)
                || r.Stage != expected.Stage
                || r.Stage == VipEntryStage.Completed
                || r.StageEnteredAt != expected.StageEnteredAt
                || r.StageNudgedAt is not null
                || !r.IsActiveAt(now))
            {
                return ValueTask.FromResult(false);
            }

            if (r.StageEnteredAt is null)
            {
                Replace(r, r with { StageEnteredAt = now });
                return ValueTask.FromResult(false);
            }

            Replace(r, r with { StageNudgedAt = now });
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VipEntryRecord>> ListExpiringGrantsAsync(DateTimeOffset now, DateTimeOffset issuedAfter, DateTimeOffset issuedAtOrBefore, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        lock (_gate)
        {
            IReadOnlyList<VipEntryRecord> batch = _records.Values
                .Where(r => r.GrantTokenHash is not null
                    && r.GrantIssuedAt > issuedAfter
                    && r.GrantIssuedAt <= issuedAtOrBefore
                    && r.GrantNudgedAt is null
                    && r.IsActiveAt(now))
                .OrderBy(r => r.GrantIssuedAt)
                .ThenBy(r => r.SubscriberId)
                .Take(maxCount)
                .ToList();
            return ValueTask.FromResult(batch);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryClaimGrantNudgeAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        lock (_gate)
        {
            if (expected.GrantTokenHash is null
                || !_records.TryGetValue(expected.SubscriberId, out var r)
                || !string.Equals(r.GrantTokenHash, expected.GrantTokenHash, StringComparison.Ordinal)
                || r.GrantNudgedAt is not null
                || !r.IsActiveAt(now))
            {
                return ValueTask.FromResult(false);
            }

            Replace(r, r with { GrantNudgedAt = now });
            return ValueTask.FromResult(true);
        }
    }
}
