using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using VipEntry.SampleBot.Configuration;
using VipEntry.SampleBot.Diagnostics;
using VipEntry.SampleBot.Ritual;

namespace VipEntry.SampleBot.Telegram;

/// <summary>The VIP chat's door on Telegram: approve/decline join requests, ban + unban, revoke links, private messages.</summary>
/// <param name="bot">The client (429 answers are retried by Telegram.Bot itself, see <c>RetryThreshold</c>).</param>
/// <param name="identity">The bot's username.</param>
/// <param name="options">The VIP chat.</param>
/// <param name="logger">The logger.</param>
internal sealed class TelegramRitualTransport(ITelegramBotClient bot, BotIdentity identity, IOptions<TelegramOptions> options, ILogger<TelegramRitualTransport> logger) : IRitualTransport
{
    private long VipChatId => options.Value.VipChatId;

    public async ValueTask<string> FormatActivationLinkAsync(string code, CancellationToken cancellationToken) =>
        $"https://t.me/{await identity.GetUsernameAsync(cancellationToken)}?start={code}";

    public ValueTask<bool> AdmitAsync(long userId, CancellationToken cancellationToken) =>
        CallAsync("approveChatJoinRequest", () => bot.ApproveChatJoinRequest(chatId: VipChatId, userId: userId, cancellationToken: cancellationToken));

    public ValueTask<bool> RefuseAsync(long userId, CancellationToken cancellationToken) =>
        CallAsync("declineChatJoinRequest", () => bot.DeclineChatJoinRequest(chatId: VipChatId, userId: userId, cancellationToken: cancellationToken));

    public async ValueTask<bool> RemoveAsync(long userId, CancellationToken cancellationToken) =>
        await CallAsync("banChatMember", () => bot.BanChatMember(chatId: VipChatId, userId: userId, cancellationToken: cancellationToken))

        // Unban at once: removal, not a lasting ban, so a renewal can bring them back.
        && await CallAsync("unbanChatMember", () => bot.UnbanChatMember(chatId: VipChatId, userId: userId, onlyIfBanned: true, cancellationToken: cancellationToken));

    public ValueTask<bool> RevokeLinkAsync(string link, CancellationToken cancellationToken) =>
        CallAsync("revokeChatInviteLink", () => bot.RevokeChatInviteLink(chatId: VipChatId, inviteLink: link, cancellationToken: cancellationToken));

    public ValueTask<bool> NotifyAsync(long userId, RitualMessage message, CancellationToken cancellationToken) =>
        SendAsync(userId, message, cancellationToken);

    public ValueTask<bool> SendAsync(long chatId, RitualMessage message, CancellationToken cancellationToken) =>
        CallAsync("sendMessage", () => bot.SendMessage(
            chatId: chatId,
            text: TelegramRendering.Text(message),
            replyMarkup: TelegramRendering.Keyboard(message),
            cancellationToken: cancellationToken));

    private async ValueTask<bool> CallAsync(string method, Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (RequestException ex)
        {
            SampleLog.ApiCallFailed(logger, ex, method);
            return false;
        }
    }
}
