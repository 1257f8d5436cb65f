using Microsoft.Extensions.Logging;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;

namespace VipEntry.Core.Channel;

/// <summary>
/// R16 for the worker: a member who is entitled again after channel work that took them out (they renewed while their
/// lapse was handled, or completed while a stale removal was in flight) gets a re-entry link at once, unless the transport
/// says they are inside; one whom a renewal sent back into the ritual gets their step.
/// </summary>
internal sealed class LetBackIn(
    IVipEntryStateMachine engine,
    IVipEntryChannel port,
    IVipEntryMessageProvider messages,
    ILogger<LetBackIn> logger)
{
    public async ValueTask RunAsync(long memberId, CancellationToken cancellationToken)
    {
        var culture = await engine.GetCultureAsync(memberId, cancellationToken).ConfigureAwait(false);
        var status = await engine.GetStatusAsync(memberId, cancellationToken).ConfigureAwait(false);
        if (status.Stage == VipEntryStage.Completed)
        {
            var reentry = await engine.RequestReentryAsync(memberId, cancellationToken).ConfigureAwait(false);
            if (reentry.Access is { } access)
            {
                var label = messages.GetStageMessage(VipEntryStage.AccessDelivery, culture).ButtonLabel;
                var message = new VipEntryPrompt(messages.GetNotice(VipEntryNotice.EntitledAgain, culture), new VipEntryButton(label, VipEntryButtonKind.OpenLink, access.Link));
                var told = await port.TellAsync(memberId, VipEntryNotice.EntitledAgain, message, cancellationToken).ConfigureAwait(false);
                Log(memberId, told);
                return;
            }

            if (reentry.Outcome == VipEntryOutcome.AlreadyInside)
            {
                return;
            }
        }

        var step = await engine.GetStepAsync(memberId, culture, cancellationToken).ConfigureAwait(false);
        Log(memberId, await port.ShowStepAsync(memberId, step, cancellationToken).ConfigureAwait(false));
    }

    private void Log(long memberId, VipEntryChannelCallResult result)
    {
        if (result != VipEntryChannelCallResult.Done)
        {
            ChannelLog.Untold(logger, memberId, result);
        }
    }
}
