using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;
using VipEntry.Core.Engine;
using VipEntry.Core.Telegram.Channel;
using VipEntry.Core.Telegram.Diagnostics;

namespace VipEntry.Core.Telegram.Updates;

/// <summary>
/// A <c>chat_member</c> update of the VIP chat: whoever came in without being entitled (ritual completed, subscription
/// active) is removed, ban then unban only if banned. The bot itself, other bots and administrators are left alone.
/// A completed member who leaves needs nothing now: the completed notice offers them re-entry (R16) the next time they
/// see it, because <c>getChatMember</c> then says they are outside.
/// </summary>
/// <param name="engine">The ritual.</param>
/// <param name="bot">The host's client (its own id).</param>
/// <param name="chat">Removes intruders.</param>
/// <param name="owed">Removals that failed, for the channel worker to retry.</param>
/// <param name="options">The VIP chat.</param>
/// <param name="logger">The logger.</param>
internal sealed class ChatMemberHandler(
    IVipEntryStateMachine engine,
    ITelegramBotClient bot,
    VipChat chat,
    IntruderRemovals owed,
    IOptionsMonitor<VipEntryTelegramOptions> options,
    ILogger<ChatMemberHandler> logger)
{
    public async ValueTask<bool> HandleAsync(ChatMemberUpdated update, CancellationToken cancellationToken)
    {
        if (update.Chat.Id != options.CurrentValue.ChatId)
        {
            return false;
        }

        var joined = update.NewChatMember.IsInChat && !update.OldChatMember.IsInChat;
        var user = update.NewChatMember.User;
        if (!joined || update.NewChatMember.IsAdmin || user.IsBot || user.Id == bot.BotId)
        {
            return true;
        }

        var status = await engine.GetStatusAsync(user.Id, cancellationToken).ConfigureAwait(false);
        if (status.IsEntitled)
        {
            return true;
        }

        TelegramLog.Intruder(logger, user.Id, status.Stage);
        if (!await chat.RemoveAsync(user.Id, cancellationToken).ConfigureAwait(false))
        {
            // Telegram sends this update once: the channel worker's next cycles retry the removal (in this process's
            // memory; after a restart an admin must act — the log says who).
            TelegramLog.IntruderRemovalFailed(logger, user.Id);
            if (!owed.Owe(user.Id))
            {
                TelegramLog.IntruderRemovalGivenUp(logger, user.Id, 1);
            }
        }
        else
        {
            owed.Settle(user.Id);
        }

        return true;
    }
}
