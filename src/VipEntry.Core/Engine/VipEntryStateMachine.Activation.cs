// Activation, renewal and ending a subscription: R1 (a new subscriber starts at stage 1), R2 (renewal restarts a
// member mid-ritual or lapsed, keeps a completed one), R8 (ending moves the end to now; the sweep does the rest) and
// R17 (a renewal cancels the lapse work still owed).
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;

namespace VipEntry.Core.Engine;

public sealed partial class VipEntryStateMachine
{
    /// <inheritdoc />
    public async ValueTask<VipEntryResult> ActivateAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, CancellationToken cancellationToken = default)
    {
        // Compared at the store's precision: a retried activation carrying the same sub-microsecond end is the same one.
        var endsAt = ToStorePrecision(subscriptionEndsAt);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = Now;
            if (endsAt <= now)
            {
                var existing = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
                return VipEntryResult.Of(VipEntryOutcome.SubscriptionExpired, subscriberId, existing?.Stage ?? VipEntryStage.NotEnrolled);
            }

            var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                if (await _store.TryCreateAtAsync(subscriberId, endsAt, now, cancellationToken).ConfigureAwait(false))
                {
                    VipEntryLog.Started(_logger, subscriberId);
                    _metrics.Started();
                    await NotifyAsync(subscriberId, VipEntryStage.NotEnrolled, VipEntryStage.ActivationConfirmation, VipEntryTrigger.Activate, now, cancellationToken).ConfigureAwait(false);
                    return VipEntryResult.Of(VipEntryOutcome.Started, subscriberId, VipEntryStage.ActivationConfirmation);
                }

                if (await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false) is null)
                {
                    // The store cannot create rows (a host-owned table without this subscriber).
                    return VipEntryResult.Of(VipEntryOutcome.NotEnrolled, subscriberId, VipEntryStage.NotEnrolled);
                }

                continue;
            }

            // R2: a lapsed subscriber (ended, or a sweep took the lapse in hand) restarts even if completed; an active one
            // restarts only mid-ritual.
            var lapsed = !current.IsActiveAt(now) || current.IsLapseRecorded;
            if (!lapsed && ToStorePrecision(current.SubscriptionEndsAt) == endsAt)
            {
                // The same activation delivered again (a retried payment webhook) is not a renewal.
                return VipEntryResult.Of(VipEntryOutcome.AtStage, subscriberId, current.Stage);
            }

            var restart = lapsed || current.Stage != VipEntryStage.Completed;
            await OweAheadAsync(subscriberId, restart ? current.GrantLink : null, current.LapseLink).ConfigureAwait(false);
            if (!await _store.TryRenewAtAsync(current, endsAt, restart, now, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var outcome = restart ? VipEntryOutcome.Restarted : VipEntryOutcome.Renewed;
            var stage = restart ? VipEntryStage.ActivationConfirmation : current.Stage;

            // R19: the entitlement changed; whatever the channel facts hold on this member (inside, a ban, links) is looked
            // at again by the worker. A removal still owed stays owed unless they are entitled now.
            await MarkDueAsync([subscriberId]).ConfigureAwait(false);
            VipEntryLog.Renewed(_logger, subscriberId, outcome, stage);
            if (restart)
            {
                _metrics.Started();
                await NotifyAsync(subscriberId, current.Stage, stage, VipEntryTrigger.Renew, now, cancellationToken).ConfigureAwait(false);
            }

            // A completed member whose lapse no sweep has taken in hand may still be inside the channel: the restart means
            // they must leave it and come back through the ritual (R2). The channel worker does it (R19, without a ban: they
            // pay); the result says so for information. The links were owed before the write (R19).
            var mayBeInside = restart && current.Stage == VipEntryStage.Completed && !current.IsLapseRecorded;
            return VipEntryResult.Of(outcome, subscriberId, stage) with
            {
                LinksToRevoke = [.. LinkList(restart ? current.GrantLink : null), .. LinkList(current.LapseLink)],
                RemoveFromChannel = mayBeInside,
            };
        }

        VipEntryLog.Conflict(_logger, nameof(ActivateAsync), subscriberId);
        return await ResultAtCurrentStageAsync(VipEntryOutcome.Conflict, subscriberId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryResult> EndSubscriptionAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = Now;
            var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return VipEntryResult.Of(VipEntryOutcome.NotEnrolled, subscriberId, VipEntryStage.NotEnrolled);
            }

            if (!current.IsActiveAt(now))
            {
                return VipEntryResult.Of(VipEntryOutcome.SubscriptionExpired, subscriberId, current.Stage);
            }

            // Moving the end to now is a compare-and-set on the record as read; the sweep does the rest. The channel facts are
            // marked due before (a crash after the write cannot leave a member inside until the old end) and after (a
            // worker that read the old end in between does not settle on it) (R19).
            await MarkDueAsync([subscriberId]).ConfigureAwait(false);
            if (await _store.TryRenewAsync(current, now, restart: false, cancellationToken).ConfigureAwait(false))
            {
                await MarkDueAsync([subscriberId]).ConfigureAwait(false);
                VipEntryLog.Ended(_logger, subscriberId, current.Stage);
                return VipEntryResult.Of(VipEntryOutcome.SubscriptionEnded, subscriberId, current.Stage);
            }
        }

        VipEntryLog.Conflict(_logger, nameof(EndSubscriptionAsync), subscriberId);
        return await ResultAtCurrentStageAsync(VipEntryOutcome.Conflict, subscriberId, cancellationToken).ConfigureAwait(false);
    }
}
