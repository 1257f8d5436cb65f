using Telegram.Bot.Types;
using VipEntry.Core.Messages;
using VipEntry.Core.Telegram.Channel;
using VipEntry.Core.Telegram.Transport;

namespace VipEntry.Core.Telegram.Rendering;

/// <summary>
/// Sends a prompt as text with an inline keyboard. The completed notice's re-entry button (R16) is left out when
/// <c>getChatMember</c> says the member is inside the VIP chat; when Telegram cannot say, it is shown (asking is harmless:
/// the engine's cooldown and binding rules apply).
/// </summary>
/// <param name="messenger">Sends the message.</param>
/// <param name="chat">Says who is inside.</param>
internal sealed class PromptSender(BotMessenger messenger, VipChat chat)
{
    public async ValueTask<TelegramCallResult<Message>> SendAsync(long chatId, long memberId, VipEntryPrompt prompt, bool askMembership, CancellationToken cancellationToken)
    {
        var button = prompt.Button;
        if (button?.Kind == VipEntryButtonKind.RequestReentry && askMembership
            && await chat.IsInsideAsync(memberId, cancellationToken).ConfigureAwait(false) == true)
        {
            button = null;
        }

        return await messenger.SendAsync(chatId, prompt.Text, PromptKeyboard.For(button), cancellationToken).ConfigureAwait(false);
    }
}
