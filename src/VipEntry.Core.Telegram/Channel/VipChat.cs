using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using VipEntry.Core.Telegram.Diagnostics;
using VipEntry.Core.Telegram.Transport;

namespace VipEntry.Core.Telegram.Channel;

/// <summary>
/// The VIP chat's door: approve or decline a join request, remove a member (ban, then unban only if banned, so a
/// renewal can bring them back), revoke an invite link, ask whether someone is inside. Each method says whether the work
/// is done; what a 400 means for each call is decided here.
/// </summary>
/// <param name="bot">The host's client.</param>
/// <param name="call">Turns failures into data.</param>
/// <param name="options">The VIP chat.</param>
/// <param name="logger">The logger.</param>
internal sealed class VipChat(ITelegramBotClient bot, TelegramCall call, IOptionsMonitor<VipEntryTelegramOptions> options, ILogger<VipChat> logger)
{
    // A revoke that Telegram refuses because the link is already gone; anything else (rights, a wrong chat) leaves it owed.
    private static readonly string[] LinkGone = ["INVITE_HASH", "expired", "revoked", "link not found", "invalid invite link", "link is invalid"];

    // 400 descriptions about the bot's own rights ("need administrator rights in the channel chat", "not enough rights to
    // restrict/unrestrict chat member", CHAT_ADMIN_REQUIRED, "have no rights ..."): the work stays owed, whatever else they say.
    private static readonly string[] NotAllowed = ["rights", "ADMIN_REQUIRED", "permission", "not an administrator"];

    // 400 descriptions that mean there is no one to remove: the user is gone, was never a participant, or is an admin or
    // the owner, whom a bot cannot ban. Retrying them would never succeed. Whole phrases, never a bare "administrator" or
    // "owner": "need administrator rights in the channel chat" is the bot lacking a right, and the member is still inside.
    private static readonly string[] NothingToRemove =
    [
        "user not found", "USER_ID_INVALID", "PARTICIPANT_ID_INVALID", "USER_NOT_PARTICIPANT",
        "user is an administrator of the chat", "can't remove chat owner", "USER_ADMIN_INVALID",
    ];

    private long ChatId => options.CurrentValue.ChatId;

    public async ValueTask<bool> ApproveAsync(long userId, CancellationToken cancellationToken)
    {
        var result = await call.RunAsync(
            "approveChatJoinRequest",
            ct => bot.ApproveChatJoinRequest(chatId: ChatId, userId: userId, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);

        // Already inside (a second replica approved, or an admin did): the member is where they should be.
        return result.Succeeded || (result.Status == TelegramCallStatus.Rejected && result.Says("USER_ALREADY_PARTICIPANT"));
    }

    public async ValueTask<bool> DeclineAsync(long userId, CancellationToken cancellationToken)
    {
        var result = await call.RunAsync(
            "declineChatJoinRequest",
            ct => bot.DeclineChatJoinRequest(chatId: ChatId, userId: userId, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        return result.Succeeded;
    }

    /// <summary>Removes a member: ban, then unban only if banned. Done when both worked, or when there is no one a bot can remove.</summary>
    public async ValueTask<bool> RemoveAsync(long userId, CancellationToken cancellationToken)
    {
        var ban = await call.RunAsync(
            "banChatMember",
            ct => bot.BanChatMember(chatId: ChatId, userId: userId, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        if (!ban.Succeeded)
        {
            if (IsNothingToRemove(ban))
            {
                TelegramLog.NothingToRemove(logger, userId, ban.Description ?? string.Empty);
                return true;
            }

            LogRefusal("banChatMember", userId, ban);
            return false;
        }

        // The unban makes it a removal, not a lasting ban: a member who renews can come back through a new link.
        return await LiftBanAsync(userId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes a member who stays entitled (a renewal sends them back through the ritual, R2) with one
    /// <c>unbanChatMember</c> without <c>only_if_banned</c>, which Telegram documents as "the user is not a member of the
    /// chat after the call, but will be able to join it". No ban is ever placed, so a failure halfway cannot leave a paying
    /// member banned (a ban whose unban failed would make every later link useless): the call either removed them or did nothing.
    /// </summary>
    public ValueTask<bool> RemoveWithoutBanAsync(long userId, CancellationToken cancellationToken) =>
        UnbanAsync(userId, onlyIfBanned: false, cancellationToken);

    /// <summary>Lifts a ban if there is one (<c>unbanChatMember</c> with <c>only_if_banned</c>); a member who is inside stays inside.</summary>
    public ValueTask<bool> LiftBanAsync(long userId, CancellationToken cancellationToken) =>
        UnbanAsync(userId, onlyIfBanned: true, cancellationToken);

    /// <summary>Revokes an invite link. A 400 that says the link is gone (already revoked, expired, unknown) counts as done; a 400 about
    /// the bot's rights does not (the link would stay usable).</summary>
    public async ValueTask<bool> RevokeLinkAsync(string link, CancellationToken cancellationToken)
    {
        var result = await call.RunAsync(
            "revokeChatInviteLink",
            ct => bot.RevokeChatInviteLink(chatId: ChatId, inviteLink: link, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        return result.Succeeded || (result.Status == TelegramCallStatus.Rejected && LinkGone.Any(result.Says) && !NotAllowed.Any(result.Says));
    }

    /// <summary>Whether the user is inside the VIP chat (member, administrator, owner, or a restricted member); <see langword="null"/> when Telegram could not say.</summary>
    public async ValueTask<bool?> IsInsideAsync(long userId, CancellationToken cancellationToken)
    {
        var result = await call.RunAsync(
            "getChatMember",
            ct => bot.GetChatMember(chatId: ChatId, userId: userId, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.Value!.IsInChat : null;
    }

    private async ValueTask<bool> UnbanAsync(long userId, bool onlyIfBanned, CancellationToken cancellationToken)
    {
        var result = await call.RunAsync(
            "unbanChatMember",
            ct => bot.UnbanChatMember(chatId: ChatId, userId: userId, onlyIfBanned: onlyIfBanned, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        if (result.Succeeded || IsNothingToRemove(result))
        {
            return true;
        }

        LogRefusal("unbanChatMember", userId, result);
        return false;
    }

    // A 400 that means there is no one a bot can remove, and not one about the bot's rights.
    private static bool IsNothingToRemove<T>(TelegramCallResult<T> result) =>
        result.Status == TelegramCallStatus.Rejected && NothingToRemove.Any(result.Says) && !NotAllowed.Any(result.Says);

    // A 400 the removal cannot get past on its own (the bot's rights, the wrong chat): the work stays owed, and the log says why.
    private void LogRefusal<T>(string method, long userId, TelegramCallResult<T> result)
    {
        if (result.Status == TelegramCallStatus.Rejected)
        {
            TelegramLog.RemovalRefused(logger, method, userId, result.Description ?? string.Empty);
        }
    }
}
