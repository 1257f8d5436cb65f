using Telegram.Bot.Types.ReplyMarkups;
using VipEntry.Core.Messages;

namespace VipEntry.Core.Telegram.Rendering;

/// <summary>Turns a prompt's button into an inline keyboard: a URL button for the access link, a callback button otherwise.</summary>
internal static class PromptKeyboard
{
    public static InlineKeyboardMarkup? For(VipEntryButton? button) => button is null
        ? null
        : new InlineKeyboardMarkup(button.Kind == VipEntryButtonKind.OpenLink
            ? InlineKeyboardButton.WithUrl(text: button.Label, url: button.Payload)
            : InlineKeyboardButton.WithCallbackData(text: button.Label, callbackData: button.Payload));
}
