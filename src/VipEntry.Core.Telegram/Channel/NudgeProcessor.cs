using System.Globalization;
using Microsoft.Extensions.Logging;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Telegram.Diagnostics;
using VipEntry.Core.Telegram.Rendering;
using VipEntry.Core.Telegram.Transport;

namespace VipEntry.Core.Telegram.Channel;

/// <summary>
/// Opt-in reminders (R18), one step of the channel worker's cycle. The engine hands each reminder to exactly one caller
/// (one statement claims it in the store), so any number of replicas can run this at once and a member is never reminded
/// twice. A reminder whose message cannot be sent is not retried: sending it twice is worse than not sending it.
/// </summary>
/// <param name="engine">The ritual.</param>
/// <param name="chat">The VIP chat's door (links the step replaced).</param>
/// <param name="messenger">Sends the reminder.</param>
/// <param name="prompts">Sends the step under it.</param>
/// <param name="messages">The texts.</param>
/// <param name="cultures">The default culture (a nudge carries no language).</param>
/// <param name="logger">The logger.</param>
internal sealed class NudgeProcessor(
    IVipEntryStateMachine engine,
    VipChat chat,
    BotMessenger messenger,
    PromptSender prompts,
    IVipEntryMessageProvider messages,
    MemberCultures cultures,
    ILogger<NudgeProcessor> logger)
{
    /// <summary>Claims and sends every reminder due now; returns how many were sent.</summary>
    /// <param name="cancellationToken">Cancels the cycle.</param>
    /// <returns>The number of reminders sent.</returns>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
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
        var culture = cultures.Default;
        var text = nudge.Kind == VipEntryNudgeKind.GrantExpiringSoon
            ? messages.GetNotice(VipEntryNotice.LinkExpiringReminder, culture)
                .Replace("{expires}", nudge.GrantExpiresAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? string.Empty, StringComparison.Ordinal)
            : messages.GetNotice(VipEntryNotice.IdleReminder, culture);
        var reminded = await messenger.SendAsync(memberId, text, keyboard: null, cancellationToken).ConfigureAwait(false);
        if (reminded.Status != TelegramCallStatus.Succeeded)
        {
            TelegramLog.NudgeUntold(logger, memberId, reminded.Status);
            return false;
        }

        // The step under the reminder: the stage's button, or the recorded link (shown again, never minted twice).
        var step = await engine.GetStepAsync(memberId, culture, cancellationToken).ConfigureAwait(false);
        await chat.RevokeLinksAsync(step.Result.LinksToRevoke, cancellationToken).ConfigureAwait(false);
        await prompts.SendAsync(memberId, memberId, step.Prompt, askMembership: false, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
