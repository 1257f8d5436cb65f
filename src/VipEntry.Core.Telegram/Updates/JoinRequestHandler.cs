using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types;
using VipEntry.Core.Channel;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Telegram.Channel;
using VipEntry.Core.Telegram.Diagnostics;
using VipEntry.Core.Telegram.Rendering;
using VipEntry.Core.Telegram.Transport;

namespace VipEntry.Core.Telegram.Updates;

/// <summary>
/// A request to join the VIP chat through an invite link (R6, R16): approved only for the member the link is bound to,
/// then the link is revoked; declined for anyone else (the owner's grant stays valid), with the reason sent to
/// <c>user_chat_id</c> (which a bot may write to for a few minutes after a join request, even without a private chat).
/// </summary>
/// <param name="engine">The ritual.</param>
/// <param name="messages">The texts.</param>
/// <param name="chat">Approves and declines.</param>
/// <param name="worker">Revokes the used link (owed, R19) at once.</param>
/// <param name="messenger">Tells the person why.</param>
/// <param name="prompts">Sends a step with its button.</param>
/// <param name="options">The VIP chat.</param>
/// <param name="logger">The logger.</param>
internal sealed class JoinRequestHandler(
    IVipEntryStateMachine engine,
    IVipEntryMessageProvider messages,
    VipChat chat,
    IVipEntryChannelWorker worker,
    BotMessenger messenger,
    PromptSender prompts,
    IOptionsMonitor<VipEntryTelegramOptions> options,
    ILogger<JoinRequestHandler> logger)
{
    public async ValueTask<bool> HandleAsync(ChatJoinRequest request, CancellationToken cancellationToken)
    {
        if (request.Chat.Id != options.CurrentValue.ChatId)
        {
            return false;
        }

        var userId = request.From.Id;
        var culture = await MemberCultures.SeenAsync(engine, request.From, cancellationToken).ConfigureAwait(false);
        var result = await engine.RedeemLinkAsync(userId, request.InviteLink?.InviteLink, cancellationToken).ConfigureAwait(false);
        TelegramLog.JoinRequest(logger, userId, result.Outcome);
        if (result.Outcome is VipEntryOutcome.Redeemed or VipEntryOutcome.Readmitted)
        {
            await AdmitAsync(request, result, culture, cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (!await chat.DeclineAsync(userId, cancellationToken).ConfigureAwait(false))
        {
            // The request stays pending; an admin sees it. The engine already refused it, so approving later changes nothing for the ritual.
            TelegramLog.DeclineFailed(logger, userId);
        }

        switch (result.Outcome)
        {
            case VipEntryOutcome.LinkExpired or VipEntryOutcome.AlreadyCompleted:
                // Their own link that expired, or a spent one of a completed member: their step offers the way on (a new
                // link, or re-entry). They asked to join, so they are outside: no need to ask getChatMember.
                // A duplicate request of a member already inside (approved a moment ago) is not offered re-entry (R16, R19):
                // the completed notice's button is shown only when getChatMember says they are outside.
                var step = await engine.GetStepAsync(userId, culture, cancellationToken).ConfigureAwait(false);
                await prompts.SendAsync(request.UserChatId, userId, step.Prompt, askMembership: result.Outcome == VipEntryOutcome.AlreadyCompleted, cancellationToken).ConfigureAwait(false);
                break;
            default:
                var notice = result.Outcome switch
                {
                    VipEntryOutcome.Refused => VipEntryNotice.Refused,
                    VipEntryOutcome.SubscriptionExpired => VipEntryNotice.SubscriptionExpired,
                    VipEntryOutcome.NotEnrolled => VipEntryNotice.NotEnrolled,
                    _ => VipEntryNotice.InvalidLink,
                };
                await messenger.SendAsync(request.UserChatId, messages.GetNotice(notice, culture), keyboard: null, cancellationToken).ConfigureAwait(false);
                break;
        }

        return true;
    }

    private async ValueTask AdmitAsync(ChatJoinRequest request, VipEntryResult result, System.Globalization.CultureInfo culture, CancellationToken cancellationToken)
    {
        var userId = request.From.Id;
        if (await chat.ApproveAsync(userId, cancellationToken).ConfigureAwait(false))
        {
            // After the approval: the link has done its one job. The engine recorded its revocation as owed (R19).
            await worker.WorkOnAsync(userId, cancellationToken).ConfigureAwait(false);
            await messenger.SendAsync(request.UserChatId, messages.GetNotice(VipEntryNotice.Welcome, culture), keyboard: null, cancellationToken).ConfigureAwait(false);
            return;
        }

        // The ritual is complete but the door did not open. The link is kept (an admin can still approve the pending
        // request); the member's completed step offers a re-entry link (R16).
        TelegramLog.ApprovalFailed(logger, userId);
        var step = await engine.GetStepAsync(userId, culture, cancellationToken).ConfigureAwait(false);
        await prompts.SendAsync(request.UserChatId, userId, step.Prompt, askMembership: false, cancellationToken).ConfigureAwait(false);
    }
}
