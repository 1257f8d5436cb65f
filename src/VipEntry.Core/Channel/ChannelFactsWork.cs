using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VipEntry.Core.Engine;
using VipEntry.Core.Options;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.Channel;

/// <summary>
/// R19's owed channel work: for each channel record that is due, claimed under a lease, compare the recorded facts with
/// the entitlement (ritual completed and subscription active) and do what the mismatch asks — revoke the links of grants
/// that no longer stand, remove whoever may be inside without being entitled (whatever their stage; without a ban when
/// they pay), lift a ban the library may have left on someone who pays — then settle the facts. A ban is recorded before
/// it is asked for, so a worker that fails halfway leaves the fact for the next one. Failed work is settled as it stands
/// and due again when the lease would have run out; a settlement that finds the facts changed meanwhile lands nowhere,
/// and the record is looked at again at once.
/// </summary>
internal sealed class ChannelFactsWork(
    IVipEntryStore subscribers,
    IVipEntryChannelStore channels,
    IVipEntryChannel port,
    LetBackIn letBackIn,
    TimeProvider time,
    IOptionsMonitor<VipEntryOptions> options,
    ILogger<ChannelFactsWork> logger)
{
    // Bounds one cycle (a backlog is taken batch by batch, at most this many batches, so the cycle's lapses and reminders
    // are not starved; the next cycle goes on) and one person's rounds (facts that keep changing under the worker are left
    // to the next cycle).
    private const int MaxRounds = 50;
    private const int MaxPersonRounds = 8;

    private DateTimeOffset Now => VipEntryStateMachine.ToStorePrecision(time.GetUtcNow());

    private string Chat => options.CurrentValue.ChannelKey;

    /// <summary>Claims and works every due record of the chat, batch by batch.</summary>
    public async ValueTask<VipEntryChannelCycleReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = VipEntryChannelCycleReport.Empty;
        var batchSize = options.CurrentValue.SweepBatchSize;
        for (var round = 0; round < MaxRounds; round++)
        {
            var now = Now;
            var due = await channels.ListDueAsync(Chat, now, batchSize, cancellationToken).ConfigureAwait(false);
            var claimed = 0;
            foreach (var record in due)
            {
                var worked = await ClaimAndWorkAsync(record, cancellationToken).ConfigureAwait(false);
                if (worked is not null)
                {
                    claimed++;
                    report = report.Add(worked);
                }
            }

            // Worked records are settled (due later or never); one whose facts changed meanwhile is due again now and is
            // met in the next round, bounded by MaxRounds.
            if (due.Count == 0 || claimed == 0)
            {
                break;
            }
        }

        return report;
    }

    /// <summary>Works one person's record now when it is due and nobody holds it.</summary>
    public async ValueTask<VipEntryChannelCycleReport> WorkOnAsync(long personId, CancellationToken cancellationToken)
    {
        var report = VipEntryChannelCycleReport.Empty;
        for (var round = 0; round < MaxPersonRounds; round++)
        {
            var record = await channels.FindAsync(Chat, personId, cancellationToken).ConfigureAwait(false);
            var now = Now;
            if (record is null || !(record.DueAt <= now) || (record.ClaimId is not null && !(record.LeaseUntil <= now)))
            {
                break;
            }

            var worked = await ClaimAndWorkAsync(record, cancellationToken).ConfigureAwait(false);
            if (worked is null)
            {
                break;
            }

            report = report.Add(worked);
        }

        return report;
    }

    // Null when another worker got the claim.
    private async ValueTask<VipEntryChannelCycleReport?> ClaimAndWorkAsync(VipEntryChannelRecord record, CancellationToken cancellationToken)
    {
        var now = Now;
        var claimId = Guid.NewGuid().ToString("N");
        var leaseUntil = now + options.CurrentValue.LapseLease;
        if (!await channels.TryClaimAsync(record, claimId, now, leaseUntil, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return await WorkAsync(record, claimId, leaseUntil, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<VipEntryChannelCycleReport> WorkAsync(VipEntryChannelRecord record, string claimId, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        var personId = record.PersonId;
        var subscriber = await subscribers.FindAsync(personId, cancellationToken).ConfigureAwait(false);
        var now = Now;
        var paying = subscriber is not null && subscriber.IsActiveAt(now);
        var entitled = subscriber is not null && subscriber.IsEntitledAt(now);
        var inside = record.MayBeInside;
        var ban = record.BanMayStand;
        int removed = 0, lifted = 0, revoked = 0;
        var failed = false;

        var remaining = new List<string>();
        var standing = false;
        foreach (var link in record.LinksToRevoke)
        {
            // Owed ahead of a change that is not written yet, lost its race or failed: the link is still its owner's grant,
            // so it is not revoked. It stays owed and is looked at again after the lease: the change may still be written
            // after this settlement without touching the channel record (a reissue), and the link must then be revoked.
            if (string.Equals(subscriber?.GrantLink, link, StringComparison.Ordinal))
            {
                remaining.Add(link);
                standing = true;
                continue;
            }

            if (await port.RevokeLinkAsync(link, cancellationToken).ConfigureAwait(false) == VipEntryChannelCallResult.Done)
            {
                revoked++;
            }
            else
            {
                remaining.Add(link);
                failed = true;
                ChannelLog.RevokeFailed(logger, personId);
            }
        }

        if (inside && !entitled)
        {
            var how = paying ? VipEntryRemoval.WithoutBan : VipEntryRemoval.KeepOut;
            if (how == VipEntryRemoval.KeepOut && !ban)
            {
                // Write-ahead: if this worker dies after the ban and before the lift, the fact outlives it.
                if (!await channels.TryRecordBanAsync(Chat, personId, claimId, cancellationToken).ConfigureAwait(false))
                {
                    ChannelLog.ClaimLost(logger, personId);
                    return VipEntryChannelCycleReport.Empty with { Failed = 1 };
                }

                ban = true;
            }

            if (await port.RemoveAsync(personId, how, cancellationToken).ConfigureAwait(false) == VipEntryChannelCallResult.Done)
            {
                inside = false;
                ban = false;
                removed++;
                ChannelLog.Removed(logger, personId, how, subscriber?.Stage ?? VipEntryStage.NotEnrolled);
            }
            else
            {
                failed = true;
                ChannelLog.RemovalFailed(logger, personId, how);
            }
        }
        else if (ban && paying)
        {
            if (await port.LiftBanAsync(personId, cancellationToken).ConfigureAwait(false) == VipEntryChannelCallResult.Done)
            {
                ban = false;
                lifted++;
                ChannelLog.BanLifted(logger, personId);
            }
            else
            {
                failed = true;
                ChannelLog.LiftFailed(logger, personId);
            }
        }

        // Failed work is due again when the lease would have run out; a member inside and entitled is looked at again
        // when the entitlement ends (the lapse); otherwise nothing is owed.
        // A link owed ahead that still stands is looked at again then too.
        DateTimeOffset? next = failed || standing ? leaseUntil : inside && entitled ? VipEntryStateMachine.ToStorePrecision(subscriber!.SubscriptionEndsAt) : null;
        var settlement = new VipEntryChannelSettlement(Chat, personId, claimId, record.Version, inside, ban, remaining, next);
        if (!await channels.TrySettleAsync(settlement, cancellationToken).ConfigureAwait(false))
        {
            // The facts or the entitlement changed while we worked (a renewal, a new join): what we did stands in the
            // transport; the record is looked at again with the new facts.
            // "Outside" is not written from here, although we took them out: a join reported after our removal (the change
            // that made this settlement lose) would be overwritten. "May be inside" errs on the safe side: a second removal
            // of someone already out is done at once, and re-entry asks the transport.
            ChannelLog.SettlementLost(logger, personId);
            await channels.ReleaseAsync(Chat, personId, claimId, CancellationToken.None).ConfigureAwait(false);
            if (removed > 0 && await IsEntitledNowAsync(personId, cancellationToken).ConfigureAwait(false))
            {
                // A removal decided on a stale entitlement (a slow call, 429s waited out) landed on someone who completed
                // meanwhile: no paid-up member stays removed (R16, R17).
                ChannelLog.RemovedWhileEntitled(logger, personId);
                await letBackIn.RunAsync(personId, cancellationToken).ConfigureAwait(false);
                return new VipEntryChannelCycleReport(removed, lifted, revoked, failed ? 1 : 0, 0, 1, 0);
            }
        }

        return new VipEntryChannelCycleReport(removed, lifted, revoked, failed ? 1 : 0, 0, 0, 0);
    }

    private async ValueTask<bool> IsEntitledNowAsync(long personId, CancellationToken cancellationToken)
    {
        var subscriber = await subscribers.FindAsync(personId, cancellationToken).ConfigureAwait(false);
        return subscriber is not null && subscriber.IsEntitledAt(Now);
    }
}
