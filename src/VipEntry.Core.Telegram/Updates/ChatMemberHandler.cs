using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;
using VipEntry.Core.Channel;
using VipEntry.Core.Engine;
using VipEntry.Core.Telegram.Diagnostics;

namespace VipEntry.Core.Telegram.Updates;

/// <summary>
/// A <c>chat_member</c> update of the VIP chat, reported to the engine as a fact (R19): whoever came in is recorded as
/// possibly inside, and whoever left as outside. Someone who came in without being entitled (ritual completed and
/// subscription active) owes a removal, which the channel worker does at once here and, should that fail, in its next
/// cycles on any replica, after a restart too: nothing is kept in memory. The bot itself, other bots and administrators
/// are left alone. A completed member who leaves can ask for re-entry (R16).
/// </summary>
/// <param name="engine">The ritual.</param>
/// <param name="worker">Does the owed work at once.</param>
/// <param name="bot">The host's client (its own id).</param>
/// <param name="options">The VIP chat.</param>
/// <param name="logger">The logger.</param>
internal sealed class ChatMemberHandler(
    IVipEntryStateMachine engine,
    IVipEntryChannelWorker worker,
    ITelegramBotClient bot,
    IOptionsMonitor<VipEntryTelegramOptions> options,
    ILogger<ChatMemberHandler> logger)
{
    public async ValueTask<bool> HandleAsync(ChatMemberUpdated update, CancellationToken cancellationToken)
    {
        if (update.Chat.Id != options.CurrentValue.ChatId)
        {
            return false;
        }

        var user = update.NewChatMember.User;
        if (update.NewChatMember.IsAdmin || user.IsBot || user.Id == bot.BotId)
        {
            return true;
        }

        var isIn = update.NewChatMember.IsInChat;
        var wasIn = update.OldChatMember.IsInChat;
        if (!isIn)
        {
            if (wasIn)
            {
                await engine.ReportOutsideAsync(user.Id, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }

        if (wasIn)
        {
            return true;
        }

        if (await engine.ReportInsideAsync(user.Id, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        TelegramLog.Intruder(logger, user.Id);
        var done = await worker.WorkOnAsync(user.Id, cancellationToken).ConfigureAwait(false);
        if (done.Removed == 0)
        {
            // Recorded: the channel worker's next cycles remove them (after the lease), on any replica.
            TelegramLog.IntruderRemovalFailed(logger, user.Id);
        }

        return true;
    }
}
