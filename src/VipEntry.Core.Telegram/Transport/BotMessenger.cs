using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.ReplyMarkups;

namespace VipEntry.Core.Telegram.Transport;

/// <summary>The private-chat calls of the ritual: send a message, take a pressed prompt's buttons away, answer a callback query.</summary>
/// <param name="bot">The host's client.</param>
/// <param name="call">Turns failures into data.</param>
internal sealed class BotMessenger(ITelegramBotClient bot, TelegramCall call)
{
    // 403 (the member blocked the bot) and 400 (no private chat with the bot yet) are results the callers ignore.
    public ValueTask<TelegramCallResult<Message>> SendAsync(long chatId, string text, InlineKeyboardMarkup? keyboard, CancellationToken cancellationToken) =>
        call.RunAsync(
            "sendMessage",
            ct => bot.SendMessage(chatId: chatId, text: text, replyMarkup: keyboard, cancellationToken: ct),
            cancellationToken);

    // Cosmetic: the chat reads as one path. "message is not modified" after a double tap is a 400 nobody minds.
    public ValueTask<TelegramCallResult<Message>> RemoveButtonsAsync(long chatId, int messageId, CancellationToken cancellationToken) =>
        call.RunAsync(
            "editMessageReplyMarkup",
            ct => bot.EditMessageReplyMarkup(chatId: chatId, messageId: messageId, replyMarkup: null, cancellationToken: ct),
            cancellationToken);

    public ValueTask<TelegramCallResult<bool>> AnswerCallbackAsync(string callbackQueryId, CancellationToken cancellationToken) =>
        call.RunAsync(
            "answerCallbackQuery",
            ct => bot.AnswerCallbackQuery(callbackQueryId: callbackQueryId, cancellationToken: ct),
            cancellationToken);
}
