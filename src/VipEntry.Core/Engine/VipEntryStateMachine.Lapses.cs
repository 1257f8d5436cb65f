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
        var candidates = await _store.ListClaimableLapsesAsync(now, batchSize, cancellationToken).ConfigureAwait(false);
        var lapses = new List<VipEntryLapse>(candidates.Count);
        foreach (var candidate in candidates)
        {
            // Another replica may sweep the same row; only the one whose compare-and-set wins holds the claim (R17).
            var claimId = Guid.NewGuid().ToString("N");
            if (!await _store.TryClaimLapseAsync(candidate, claimId, now, leaseUntil, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var retry = candidate.LapseClaimId is not null;
            if (retry)
            {
                VipEntryLog.LapseReclaimed(_logger, candidate.SubscriberId);
            }
            else
            {
                VipEntryLog.Lapsed(_logger, candidate.SubscriberId, candidate.Stage, candidate.SubscriptionEndsAt);
                _metrics.Expired();
            }

            lapses.Add(new VipEntryLapse(candidate.SubscriberId, candidate.Stage, candidate.SubscriptionEndsAt, retry ? candidate.LapseLink : candidate.GrantLink)
            {
                ClaimId = claimId,
                LeaseExpiresAt = leaseUntil,
                IsRetry = retry,
            });
        }

        // A full batch in which nothing could be claimed (every row changed under us) is not "more": the next
        // scheduled sweep retries, instead of a host loop spinning on the same rows.
        return new VipEntrySweepResult(lapses, candidates.Count == batchSize && lapses.Count > 0);
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
