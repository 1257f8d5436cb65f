// Serves R1 (activation puts a new subscriber at stage 1) and R2 (renewal; a renewal clears the lapse record of R8/R17).
using VipEntry.Core.Stages;

namespace VipEntry.Core.Storage;

public sealed partial class InMemoryVipEntryStore
{
    /// <inheritdoc />
    public ValueTask<bool> TryCreateAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, CancellationToken cancellationToken = default) =>
        Create(subscriberId, subscriptionEndsAt, entered: null);

    /// <inheritdoc />
    public ValueTask<bool> TryCreateAtAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Create(subscriberId, subscriptionEndsAt, now);

    /// <inheritdoc />
    public ValueTask<bool> TryRenewAsync(VipEntryRecord expected, DateTimeOffset subscriptionEndsAt, bool restart, CancellationToken cancellationToken = default) =>
        Renew(expected, subscriptionEndsAt, restart, entered: null);

    /// <inheritdoc />
    public ValueTask<bool> TryRenewAtAsync(VipEntryRecord expected, DateTimeOffset subscriptionEndsAt, bool restart, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Renew(expected, subscriptionEndsAt, restart, now);

    private ValueTask<bool> Create(long subscriberId, DateTimeOffset subscriptionEndsAt, DateTimeOffset? entered)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_records.TryAdd(
                subscriberId,
                new VipEntryRecord(subscriberId, VipEntryStage.ActivationConfirmation, subscriptionEndsAt, null, null, null, null) { StageEnteredAt = entered }));
        }
    }

    private ValueTask<bool> Renew(VipEntryRecord expected, DateTimeOffset subscriptionEndsAt, bool restart, DateTimeOffset? entered)
    {
        ArgumentNullException.ThrowIfNull(expected);
        lock (_gate)
        {
            if (!_records.TryGetValue(expected.SubscriberId, out var r)
                || r.Stage != expected.Stage
                || !string.Equals(r.GrantTokenHash, expected.GrantTokenHash, StringComparison.Ordinal)
                || !string.Equals(r.GrantLink, expected.GrantLink, StringComparison.Ordinal)
                || r.LapseHandledAt != expected.LapseHandledAt
                || !string.Equals(r.LapseClaimId, expected.LapseClaimId, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(false);
            }

            var next = ClearLapse(r) with { SubscriptionEndsAt = subscriptionEndsAt };
            if (restart)
            {
                next = ClearGrant(next) with { Stage = VipEntryStage.ActivationConfirmation, StageEnteredAt = entered, StageNudgedAt = null };
            }

            Replace(r, next);
            return ValueTask.FromResult(true);
        }
    }
}
