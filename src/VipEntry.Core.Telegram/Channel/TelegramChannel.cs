using VipEntry.Core.Channel;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using Microsoft.Extensions.DependencyInjection;
using Telegram.Bot.Types.ReplyMarkups;
using VipEntry.Core.Telegram.Payments;
using VipEntry.Core.Telegram.Rendering;
using VipEntry.Core.Telegram.Transport;

namespace VipEntry.Core.Telegram.Channel;

/// <summary>
/// The Telegram implementation of VipEntry's channel port (R16–R19): the loop that drives it is Core's one channel worker.
/// Revoke is <c>revokeChatInviteLink</c>; a removal that keeps someone out is <c>banChatMember</c> then
/// <c>unbanChatMember(only_if_banned)</c>; a removal of someone who pays is one <c>unbanChatMember</c> without
/// <c>only_if_banned</c> (out of the chat, never banned); lifting a ban is <c>unbanChatMember(only_if_banned)</c>; "is this
/// person inside?" is <c>getChatMember</c>; messages go to the private chat. 429s are waited out by <see cref="TelegramCall"/>;
/// what each 400 means is decided by <see cref="VipChat"/>, and a rights error is never "done".
/// </summary>
/// <param name="chat">The VIP chat's door.</param>
/// <param name="messenger">Sends notices.</param>
/// <param name="prompts">Sends steps.</param>
/// <param name="services">The scope's services: the Stars offer's "subscribe again" button, when the host sells with Stars.</param>
internal sealed class TelegramChannel(VipChat chat, BotMessenger messenger, PromptSender prompts, IServiceProvider services) : IVipEntryChannel
{
    public async ValueTask<VipEntryChannelCallResult> RevokeLinkAsync(string link, CancellationToken cancellationToken) =>
        Done(await chat.RevokeLinkAsync(link, cancellationToken).ConfigureAwait(false));

    public async ValueTask<VipEntryChannelCallResult> RemoveAsync(long personId, VipEntryRemoval removal, CancellationToken cancellationToken) =>
        Done(removal == VipEntryRemoval.WithoutBan
            ? await chat.RemoveWithoutBanAsync(personId, cancellationToken).ConfigureAwait(false)
            : await chat.RemoveAsync(personId, cancellationToken).ConfigureAwait(false));

    public async ValueTask<VipEntryChannelCallResult> LiftBanAsync(long personId, CancellationToken cancellationToken) =>
        Done(await chat.LiftBanAsync(personId, cancellationToken).ConfigureAwait(false));

    public async ValueTask<VipEntryChannelCallResult> TellAsync(long personId, VipEntryNotice notice, VipEntryPrompt message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var keyboard = PromptKeyboard.For(message.Button);
        if (notice == VipEntryNotice.RemovedAfterLapse && services.GetService<StarsOffer>() is { Price: not null })
        {
            // Resolved now, not at construction: the engine itself asks this port whether a member is inside.
            var culture = await services.GetRequiredService<IVipEntryStateMachine>().GetCultureAsync(personId, cancellationToken).ConfigureAwait(false);
            var label = services.GetRequiredService<IVipEntryMessageProvider>().GetNotice(VipEntryNotice.StarsRenewButton, culture);
            keyboard = new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData(text: label, callbackData: StarsUpdateHandler.OfferCallbackData));
        }

        var sent = await messenger.SendAsync(personId, message.Text, keyboard, cancellationToken).ConfigureAwait(false);
        return Of(sent.Status);
    }

    public async ValueTask<VipEntryChannelCallResult> ShowStepAsync(long personId, VipEntryStep current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        var sent = await prompts.SendAsync(personId, personId, current.Prompt, askMembership: true, cancellationToken).ConfigureAwait(false);
        return Of(sent.Status);
    }

    public ValueTask<bool?> IsInsideAsync(long personId, CancellationToken cancellationToken) =>
        chat.IsInsideAsync(personId, cancellationToken);

    private static VipEntryChannelCallResult Done(bool done) => done ? VipEntryChannelCallResult.Done : VipEntryChannelCallResult.Failed;

    // 403 (blocked the bot) and 400 (never opened a private chat) are final answers for a message; the rest may pass.
    private static VipEntryChannelCallResult Of(TelegramCallStatus status) => status switch
    {
        TelegramCallStatus.Succeeded => VipEntryChannelCallResult.Done,
        TelegramCallStatus.Forbidden or TelegramCallStatus.Rejected => VipEntryChannelCallResult.Unreachable,
        _ => VipEntryChannelCallResult.Failed,
    };
}
