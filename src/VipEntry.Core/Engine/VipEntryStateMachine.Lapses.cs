// Lapses: R8 (the sweep finds ended subscriptions in bounded batches and reports the links to revoke and members to
// remove) and R17 (each lapse is claimed under a lease by one worker and stays owed until that worker confirms it).
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;

namespace VipEntry.Core.Engine;

public sealed partial class VipEntryStateMachine
{
    /// <inheritdoc />
    public async ValueTask<VipEntrySweepResult> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = Now;
        var options = Options;
        var batchSize = options.SweepBatchSize;
        var leaseUntil = now + options.LapseLease;
        // One batch claim (R17): each row is a compare-and-set, so a row another replica's sweep claims at the same time is
        // returned to only one of them. First claims and re-claims (a lease ran out) get different claim ids, which tell
        // them apart in the claimed records.
        var claimId = Guid.NewGuid().ToString("N");
        var reclaimId = Guid.NewGuid().ToString("N");
        var claimed = await _store.ClaimLapsesAsync(claimId, reclaimId, now, leaseUntil, batchSize, cancellationToken).ConfigureAwait(false);
        var lapses = new List<VipEntryLapse>(claimed.Count);
        foreach (var record in claimed)
        {
            var retry = string.Equals(record.LapseClaimId, reclaimId, StringComparison.Ordinal);
            if (retry)
            {
                VipEntryLog.LapseReclaimed(_logger, record.SubscriberId);
            }
            else
            {
                VipEntryLog.Lapsed(_logger, record.SubscriberId, record.Stage, record.SubscriptionEndsAt);
                _metrics.Expired();
            }

            lapses.Add(new VipEntryLapse(record.SubscriberId, record.Stage, record.SubscriptionEndsAt, record.LapseLink)
            {
                ClaimId = record.LapseClaimId!,
                LeaseExpiresAt = leaseUntil,
                IsRetry = retry,
            });
        }

        // A short batch means nothing more was claimable now; the next scheduled sweep takes what comes later.
        return new VipEntrySweepResult(lapses, claimed.Count == batchSize);
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryResult> ConfirmLapseHandledAsync(VipEntryLapse lapse, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lapse);
        ArgumentException.ThrowIfNullOrEmpty(lapse.ClaimId, nameof(lapse));
        var now = Now;
        VipEntryResult result;
        if (await _store.TryConfirmLapseAsync(lapse.SubscriberId, lapse.ClaimId, now, cancellationToken).ConfigureAwait(false))
        {
            result = VipEntryResult.Of(VipEntryOutcome.LapseConfirmed, lapse.SubscriberId, lapse.Stage);
        }
        else
        {
            var current = await _store.FindAsync(lapse.SubscriberId, cancellationToken).ConfigureAwait(false);
            result = current switch
            {
                null => VipEntryResult.Of(VipEntryOutcome.NotEnrolled, lapse.SubscriberId, VipEntryStage.NotEnrolled),

                // Only a renewal clears a claim without confirming it: whatever this worker did, the member paid again.
                _ when current.IsActiveAt(now) && !current.IsLapseRecorded => VipEntryResult.Of(VipEntryOutcome.EntitledAgain, lapse.SubscriberId, current.Stage),
                _ => VipEntryResult.Of(VipEntryOutcome.LapseClaimLost, lapse.SubscriberId, current.Stage),
            };
        }

        VipEntryLog.LapseConfirmed(_logger, lapse.SubscriberId, result.Outcome);
        _metrics.LapseConfirmed(result.Outcome.ToString());
        return result;
    }
}
