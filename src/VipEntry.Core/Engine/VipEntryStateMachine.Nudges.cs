// Nudges: R18 (members idle at a stage and grants about to expire, each handed out once per stage visit or grant,
// across replicas).
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Results;

namespace VipEntry.Core.Engine;

public sealed partial class VipEntryStateMachine
{
    /// <inheritdoc />
    public async ValueTask<VipEntryNudgeBatch> ClaimNudgesAsync(CancellationToken cancellationToken = default)
    {
        var options = Options;
        var now = Now;
        var batchSize = options.SweepBatchSize;
        var nudges = new List<VipEntryNudge>();
        var hasMore = false;
        if (options.NudgeIdleAfter is { } idleAfter)
        {
            var idle = await _store.ListIdleAsync(now, now - idleAfter, batchSize, cancellationToken).ConfigureAwait(false);
            var claimed = 0;
            foreach (var candidate in idle)
            {
                // A row whose stage entry is unknown (written outside VipEntry) gets its clock started instead.
                if (await _store.TryClaimIdleNudgeAsync(candidate, now, cancellationToken).ConfigureAwait(false) && candidate.StageEnteredAt is { } since)
                {
                    claimed++;
                    nudges.Add(Nudged(new VipEntryNudge(candidate.SubscriberId, VipEntryNudgeKind.IdleAtStage, candidate.Stage) { IdleSince = since }));
                }
            }

            hasMore |= idle.Count == batchSize && (claimed > 0 || idle.Any(c => c.StageEnteredAt is null));
        }

        if (options.NudgeBeforeExpiry is { } window)
        {
            var lifetime = options.LinkLifetime;
            var expiring = await _store.ListExpiringGrantsAsync(now, now - lifetime, now - lifetime + window, batchSize, cancellationToken).ConfigureAwait(false);
            var claimed = 0;
            foreach (var candidate in expiring)
            {
                if (await _store.TryClaimGrantNudgeAsync(candidate, now, cancellationToken).ConfigureAwait(false))
                {
                    claimed++;
                    nudges.Add(Nudged(new VipEntryNudge(candidate.SubscriberId, VipEntryNudgeKind.GrantExpiringSoon, candidate.Stage) { GrantExpiresAt = candidate.GrantExpiresAt(lifetime), GrantLink = candidate.GrantLink }));
                }
            }

            hasMore |= expiring.Count == batchSize && claimed > 0;
        }

        return new VipEntryNudgeBatch(nudges, hasMore);
    }

    private VipEntryNudge Nudged(VipEntryNudge nudge)
    {
        VipEntryLog.Nudged(_logger, nudge.SubscriberId, nudge.Kind, nudge.Stage);
        _metrics.Nudged(nudge.Kind.ToString());
        return nudge;
    }
}
