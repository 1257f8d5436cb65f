using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.Core.Options;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.Channel;

/// <summary>
/// R17's lapses, under R19: each lapse a sweep hands this worker (under a lease) has its link revoked; its removal is the
/// channel facts' work (<see cref="ChannelFactsWork"/>, run first in the cycle): owed there durably and tried at once; a
/// removal that fails here keeps the lapse owed too, one held by another worker is that worker's. Then the lapse is
/// confirmed and the member told; a member who renewed meanwhile is let back in (R16). A failure leaves the lapse
/// unconfirmed: its lease hands it out again.
/// </summary>
internal sealed class LapseWork(
    IVipEntryStateMachine engine,
    IVipEntryChannelStore channels,
    ChannelFactsWork facts,
    LetBackIn letBackIn,
    IVipEntryChannel port,
    IVipEntryMessageProvider messages,
    TimeProvider time,
    IOptionsMonitor<VipEntryOptions> options,
    ILogger<LapseWork> logger)
{

    public async ValueTask<VipEntryChannelCycleReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = VipEntryChannelCycleReport.Empty;
        VipEntrySweepResult batch;
        do
        {
            batch = await engine.SweepAsync(cancellationToken).ConfigureAwait(false);
            foreach (var lapse in batch.Lapses)
            {
                report = report.Add(await HandleAsync(lapse, cancellationToken).ConfigureAwait(false));
            }
        }
        while (batch.HasMore);

        return report;
    }

    private async ValueTask<VipEntryChannelCycleReport> HandleAsync(VipEntryLapse lapse, CancellationToken cancellationToken)
    {
        var memberId = lapse.SubscriberId;
        var failed = VipEntryChannelCycleReport.Empty with { Failed = 1 };
        if (lapse.LinkToRevoke is { } link && await port.RevokeLinkAsync(link, cancellationToken).ConfigureAwait(false) != VipEntryChannelCallResult.Done)
        {
            ChannelLog.LapseWorkFailed(logger, memberId, "revoke");
            return failed;
        }

        var (removal, removed) = await OweRemovalAsync(lapse, cancellationToken).ConfigureAwait(false);
        if (removal is null)
        {
            ChannelLog.LapseWorkFailed(logger, memberId, "remove");
            return failed;
        }

        var confirmation = await engine.ConfirmLapseHandledAsync(lapse, cancellationToken).ConfigureAwait(false);
        ChannelLog.LapseHandled(logger, memberId, confirmation.Outcome);
        switch (confirmation.Outcome)
        {
            case VipEntryOutcome.LapseConfirmed:
                // Only the worker whose confirmation counts speaks to the member, so a lapse taken over is not told twice.
                // The message is a courtesy: a member who blocked the bot does not keep the lapse open.
                // "Removed" only when they are out of the chat by now; a removal another worker is still doing gets the plain
                // notice that the subscription ended.
                var notice = removed ? VipEntryNotice.RemovedAfterLapse : VipEntryNotice.SubscriptionExpired;
                var culture = await engine.GetCultureAsync(memberId, cancellationToken).ConfigureAwait(false);
                await TellAsync(memberId, notice, new VipEntryPrompt(messages.GetNotice(notice, culture), null), cancellationToken).ConfigureAwait(false);
                return removal with { LapsesConfirmed = 1 };
            case VipEntryOutcome.EntitledAgain:
                await letBackIn.RunAsync(memberId, cancellationToken).ConfigureAwait(false);
                return removal with { LapsesConfirmed = 1, LetBackIn = 1 };
            case VipEntryOutcome.LapseClaimLost:
                return removal;
            default:
                // E.g. the subscriber's row was deleted: nothing is owed any more.
                return removal with { LapsesConfirmed = 1 };
        }
    }

    // The removal a lapse asks for is R19's: owed in the channel facts (durably: a record that may be inside is always due
    // or held), and tried at once. When this worker tried and failed, the lapse stays owed too (its notice says the member
    // was removed, so it is sent only once they are out); when another worker holds the removal, it is that worker's, and
    // the lapse goes on. A completed member of whom VipEntry knows nothing (a row from before the channel facts, written
    // outside VipEntry) may be inside: that is recorded now. Worked is null when the removal failed here; Removed says
    // whether a member who may have been inside is out by now.
    private async ValueTask<(VipEntryChannelCycleReport? Worked, bool Removed)> OweRemovalAsync(VipEntryLapse lapse, CancellationToken cancellationToken)
    {
        var chat = options.CurrentValue.ChannelKey;
        var record = await channels.FindAsync(chat, lapse.SubscriberId, cancellationToken).ConfigureAwait(false);
        if (record is null && lapse.ShouldRemoveFromChannel)
        {
            var now = VipEntryStateMachine.ToStorePrecision(time.GetUtcNow());
            await channels.RecordInsideAsync(chat, lapse.SubscriberId, now, cancellationToken).ConfigureAwait(false);
        }
        else if (record is not { MayBeInside: true })
        {
            // Out already (removed earlier, or they left); a completed member was inside once.
            return (VipEntryChannelCycleReport.Empty, lapse.ShouldRemoveFromChannel);
        }

        var worked = await facts.WorkOnAsync(lapse.SubscriberId, cancellationToken).ConfigureAwait(false);
        var after = await channels.FindAsync(chat, lapse.SubscriberId, cancellationToken).ConfigureAwait(false);
        var now2 = VipEntryStateMachine.ToStorePrecision(time.GetUtcNow());
        var heldByAnother = after is { ClaimId: not null } && after.LeaseUntil > now2;
        return after is { MayBeInside: true }
            ? (heldByAnother ? worked : null, false)
            : (worked, true);
    }

    private async ValueTask TellAsync(long memberId, VipEntryNotice notice, VipEntryPrompt message, CancellationToken cancellationToken)
    {
        var told = await port.TellAsync(memberId, notice, message, cancellationToken).ConfigureAwait(false);
        if (told != VipEntryChannelCallResult.Done)
        {
            ChannelLog.Untold(logger, memberId, told);
        }
    }
}
