using System.Globalization;
using Microsoft.Extensions.Logging;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;

namespace VipEntry.Core.Channel;

/// <summary>
/// The opt-in reminders of R18, through the transport's port. The engine hands each reminder to exactly one caller (one
/// statement claims it), so any number of replicas run this at once and a member is never reminded twice; a reminder
/// that cannot be sent is not retried (sending it twice is worse than not sending it).
/// </summary>
internal sealed class NudgeWork(
    IVipEntryStateMachine engine,
    IVipEntryChannel port,
    IVipEntryMessageProvider messages,
    ILogger<NudgeWork> logger)
{
    private readonly VipEntryPromptBuilder prompts = new(messages);

    public async ValueTask<int> RunAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        VipEntryNudgeBatch batch;
        do
        {
            batch = await engine.ClaimNudgesAsync(cancellationToken).ConfigureAwait(false);
            foreach (var nudge in batch.Nudges)
            {
                if (await SendAsync(nudge, cancellationToken).ConfigureAwait(false))
                {
                    sent++;
                }
            }
        }
        while (batch.HasMore);

        return sent;
    }

    private async ValueTask<bool> SendAsync(VipEntryNudge nudge, CancellationToken cancellationToken)
    {
        var memberId = nudge.SubscriberId;
        var culture = await engine.GetCultureAsync(memberId, cancellationToken).ConfigureAwait(false);
        var notice = nudge.Kind == VipEntryNudgeKind.GrantExpiringSoon ? VipEntryNotice.LinkExpiringReminder : VipEntryNotice.IdleReminder;
        var text = messages.GetNotice(notice, culture)
            .Replace("{expires}", nudge.GrantExpiresAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? string.Empty, StringComparison.Ordinal);
        var told = await port.TellAsync(memberId, notice, new VipEntryPrompt(text, null), cancellationToken).ConfigureAwait(false);
        if (told != VipEntryChannelCallResult.Done)
        {
            ChannelLog.Untold(logger, memberId, told);
            return false;
        }

        // The step under the reminder: the stage's button, or the recorded link (shown again, never minted twice). A completed
        // member's unused re-entry link (R16) is shown again too: their step would be the "entry complete" notice.
        var step = nudge is { Kind: VipEntryNudgeKind.GrantExpiringSoon, Stage: VipEntryStage.Completed, GrantLink: { } link, GrantExpiresAt: { } expiresAt }
            ? ReentryLinkStep(memberId, link, expiresAt, culture)
            : await engine.GetStepAsync(memberId, culture, cancellationToken).ConfigureAwait(false);
        await port.ShowStepAsync(memberId, step, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private VipEntryStep ReentryLinkStep(long memberId, string link, DateTimeOffset expiresAt, CultureInfo culture)
    {
        var shown = VipEntryResult.Of(VipEntryOutcome.AccessShown, memberId, VipEntryStage.Completed) with
        {
            Access = new VipEntryAccess(link, expiresAt, CanBeShownAgain: true),
        };
        return new VipEntryStep(shown, prompts.Build(shown, culture));
    }
}
