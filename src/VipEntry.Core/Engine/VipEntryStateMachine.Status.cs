// Read-only views: a member's status (R9 where they are, R16 whether they may ask for re-entry, R17 the lapse work)
// and R15's funnel (how many subscribers are at each stage).
using VipEntry.Core.Results;
using VipEntry.Core.Stages;

namespace VipEntry.Core.Engine;

public sealed partial class VipEntryStateMachine
{
    /// <inheritdoc />
    public async ValueTask<VipEntryStatus> GetStatusAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return new VipEntryStatus(subscriberId, VipEntryStage.NotEnrolled);
        }

        var now = Now;
        var lifetime = Options.LinkLifetime;
        var active = current.IsActiveAt(now);
        var lapse = current switch
        {
            { LapseHandledAt: not null } => VipEntryLapseState.Handled,
            { LapseClaimId: not null } => VipEntryLapseState.Claimed,
            _ when !active => VipEntryLapseState.Pending,
            _ => VipEntryLapseState.None,
        };
        return new VipEntryStatus(subscriberId, current.Stage)
        {
            SubscriptionEndsAt = current.SubscriptionEndsAt,
            IsActive = active,
            GrantExpiresAt = current.GrantExpiresAt(lifetime),
            HasLiveGrant = current.HasLiveGrant(now, lifetime),
            HasRecordedLink = current.GrantLink is not null,
            Lapse = lapse,
            CanRequestReentry = active && current.Stage == VipEntryStage.Completed,
        };
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryFunnel> GetFunnelAsync(CancellationToken cancellationToken = default)
    {
        var counts = await _store.CountByStageAsync(Now, cancellationToken).ConfigureAwait(false);
        return new VipEntryFunnel(
            counts.GetValueOrDefault(VipEntryStage.ActivationConfirmation),
            counts.GetValueOrDefault(VipEntryStage.ExpectationAlignment),
            counts.GetValueOrDefault(VipEntryStage.AccessDelivery),
            counts.GetValueOrDefault(VipEntryStage.Completed));
    }
}
