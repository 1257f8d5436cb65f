// Bulk activation: R1 and R2 for many members at once, in bounded set-based batches with ActivateAsync's rules
// (see VipEntryStateMachine.Activation.cs); a member whose write lost goes through ActivateAsync itself.
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.Engine;

public sealed partial class VipEntryStateMachine
{
    // Members per bulk activation batch: one read, one insert and one or two updates each, bounded in parameters
    // (SQLite allows 32,766 per statement, PostgreSQL 65,535) and in how long one statement holds the write lock.
    private const int BulkBatchSize = 500;

    /// <inheritdoc />
    public async ValueTask<VipEntryBulkActivationResult> ActivateManyAsync(IEnumerable<VipEntryActivation> activations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activations);
        var result = new VipEntryBulkActivationResult.Builder();
        var batch = new List<VipEntryActivation>(BulkBatchSize);
        var ids = new HashSet<long>();
        foreach (var activation in activations)
        {
            // A subscriber listed again starts the next batch, so the second activation sees the first one's effect.
            if (batch.Count == BulkBatchSize || !ids.Add(activation.SubscriberId))
            {
                await ActivateBatchAsync(batch, result, cancellationToken).ConfigureAwait(false);
                batch.Clear();
                ids.Clear();
                ids.Add(activation.SubscriberId);
            }

            batch.Add(activation with { SubscriptionEndsAt = ToStorePrecision(activation.SubscriptionEndsAt) });
        }

        if (batch.Count > 0)
        {
            await ActivateBatchAsync(batch, result, cancellationToken).ConfigureAwait(false);
        }

        return result.Build();
    }

    // One bounded batch of distinct members: the creates, one read of the others, then the renewals, each set-based in the
    // store and each member's write a compare-and-set with ActivateAsync's conditions. A member whose write lost (created or changed
    // by someone else since the read, or a host-owned table without their row) goes through ActivateAsync itself.
    private async ValueTask ActivateBatchAsync(List<VipEntryActivation> batch, VipEntryBulkActivationResult.Builder result, CancellationToken cancellationToken)
    {
        var now = Now;
        var live = new List<VipEntryActivation>(batch.Count);
        foreach (var member in batch)
        {
            if (member.SubscriptionEndsAt <= now)
            {
                result.Add(VipEntryOutcome.SubscriptionExpired);
            }
            else
            {
                live.Add(member);
            }
        }

        if (live.Count == 0)
        {
            return;
        }

        // R1 first: the create is a compare-and-set on "not there yet", so a member it creates is exactly one ActivateAsync
        // would have found missing and created. Only the others are read (an import of new subscribers reads nothing).
        var retry = new List<VipEntryActivation>();
        var created = (await _store.TryCreateManyAtAsync(live, now, cancellationToken).ConfigureAwait(false)).ToHashSet();
        var existing = new List<VipEntryActivation>(live.Count - created.Count);
        foreach (var member in live)
        {
            if (!created.Contains(member.SubscriberId))
            {
                existing.Add(member);
                continue;
            }

            VipEntryLog.Started(_logger, member.SubscriberId);
            _metrics.Started();
            await NotifyAsync(member.SubscriberId, VipEntryStage.NotEnrolled, VipEntryStage.ActivationConfirmation, VipEntryTrigger.Activate, now, cancellationToken).ConfigureAwait(false);
            result.Add(VipEntryOutcome.Started);
        }

        var found = existing.Count == 0
            ? []
            : await _store.FindManyAsync([.. existing.Select(m => m.SubscriberId)], cancellationToken).ConfigureAwait(false);
        var current = found.ToDictionary(r => r.SubscriberId);
        var renewals = new List<VipEntryRenewal>();
        foreach (var member in existing)
        {
            if (!current.TryGetValue(member.SubscriberId, out var record))
            {
                // Not created and not there: a host-owned table without their row, or deleted in between.
                retry.Add(member);
                continue;
            }

            // R2, as in ActivateAsync.
            var lapsed = !record.IsActiveAt(now) || record.IsLapseRecorded;
            if (!lapsed && ToStorePrecision(record.SubscriptionEndsAt) == member.SubscriptionEndsAt)
            {
                result.Add(VipEntryOutcome.AtStage);
                continue;
            }

            renewals.Add(new VipEntryRenewal(record, member.SubscriptionEndsAt, Restart: lapsed || record.Stage != VipEntryStage.Completed));
        }

        if (renewals.Count > 0)
        {
            // R19 write-ahead: the links the renewals take out of use are owed before they are written.
            foreach (var renewal in renewals)
            {
                await OweAheadAsync(renewal.Expected.SubscriberId, renewal.Restart ? renewal.Expected.GrantLink : null, renewal.Expected.LapseLink).ConfigureAwait(false);
            }

            var renewed = (await _store.TryRenewManyAtAsync(renewals, now, cancellationToken).ConfigureAwait(false)).ToHashSet();

            // R19: as ActivateAsync, the renewed members' channel facts are looked at again by the worker.
            await MarkDueAsync([.. renewed]).ConfigureAwait(false);
            foreach (var renewal in renewals)
            {
                var record = renewal.Expected;
                if (!renewed.Contains(record.SubscriberId))
                {
                    retry.Add(new VipEntryActivation(record.SubscriberId, renewal.SubscriptionEndsAt));
                    continue;
                }

                var restart = renewal.Restart;
                var outcome = restart ? VipEntryOutcome.Restarted : VipEntryOutcome.Renewed;
                var stage = restart ? VipEntryStage.ActivationConfirmation : record.Stage;
                VipEntryLog.Renewed(_logger, record.SubscriberId, outcome, stage);
                if (restart)
                {
                    _metrics.Started();
                    await NotifyAsync(record.SubscriberId, record.Stage, stage, VipEntryTrigger.Renew, now, cancellationToken).ConfigureAwait(false);
                    result.AddLink(record.GrantLink);
                }

                result.AddLink(record.LapseLink);
                if (restart && record.Stage == VipEntryStage.Completed && !record.IsLapseRecorded)
                {
                    result.AddRemoval(record.SubscriberId);
                }

                result.Add(outcome);
            }
        }

        foreach (var member in retry)
        {
            result.Add(await ActivateAsync(member.SubscriberId, member.SubscriptionEndsAt, cancellationToken).ConfigureAwait(false));
        }
    }
}
