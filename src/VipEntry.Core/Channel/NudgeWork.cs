using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.Core.Options;
using VipEntry.Core.Results;

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
    IOptionsMonitor<VipEntryOptions> options,
    ILogger<NudgeWork> logger)
{
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
        var culture = CultureInfo.GetCultureInfo(options.CurrentValue.DefaultCulture);
        var notice = nudge.Kind == VipEntryNudgeKind.GrantExpiringSoon ? VipEntryNotice.LinkExpiringReminder : VipEntryNotice.IdleReminder;
        var text = messages.GetNotice(notice, culture)
            .Replace("{expires}", nudge.GrantExpiresAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? string.Empty, StringComparison.Ordinal);
        var told = await port.TellAsync(memberId, notice, new VipEntryPrompt(text, null), cancellationToken).ConfigureAwait(false);
        if (told != VipEntryChannelCallResult.Done)
        {
            ChannelLog.Untold(logger, memberId, told);
            return false;
        }

        // The step under the reminder: the stage's button, or the recorded link (shown again, never minted twice).
        var step = await engine.GetStepAsync(memberId, culture, cancellationToken).ConfigureAwait(false);
        await port.ShowStepAsync(memberId, step, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
