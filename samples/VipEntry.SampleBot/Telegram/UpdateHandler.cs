using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Polling;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using VipEntry.Core.Messages;
using VipEntry.SampleBot.Configuration;
using VipEntry.SampleBot.Diagnostics;
using VipEntry.SampleBot.Ritual;

namespace VipEntry.SampleBot.Telegram;

/// <summary>
/// The one update handler (Telegram.Bot's Console.Advanced shape): dispatches by update type to the shared
/// <see cref="RitualService"/>, each update in its own DI scope. An update that fails is logged and skipped;
/// it never stops polling.
/// </summary>
/// <param name="scopes">Creates a scope per update.</param>
/// <param name="transport">Sends replies and opens or closes the VIP chat's door.</param>
/// <param name="options">Admins and the VIP chat.</param>
/// <param name="logger">The logger.</param>
internal sealed class UpdateHandler(IServiceScopeFactory scopes, TelegramRitualTransport transport, IOptions<TelegramOptions> options, ILogger<UpdateHandler> logger) : IUpdateHandler
{
    public async Task HandleUpdateAsync(ITelegramBotClient botClient, Update update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var ritual = scope.ServiceProvider.GetRequiredService<RitualService>();
            var handled = update switch
            {
                { Message: { } message } => OnMessageAsync(ritual, message, cancellationToken),
                { CallbackQuery: { } query } => OnCallbackQueryAsync(botClient, ritual, query, cancellationToken),
                { ChatJoinRequest: { } request } => OnChatJoinRequestAsync(ritual, request, cancellationToken),
                { ChatMember: { } member } => OnChatMemberAsync(botClient, ritual, member, cancellationToken),
                _ => Ignore(update),
            };
            await handled;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // One member's error never stops the bot; tell them to try again where we can.
            SampleLog.UpdateFailed(logger, ex, update.Id, update.Type);
            if ((update.Message?.From?.Id ?? update.CallbackQuery?.From.Id) is { } userId)
            {
                await transport.SendAsync(userId, RitualMessage.Plain("Something went wrong on our side. Nothing was lost: please try again in a moment."), cancellationToken);
            }
        }
    }

    public async Task HandleErrorAsync(ITelegramBotClient botClient, Exception exception, HandleErrorSource source, CancellationToken cancellationToken)
    {
        SampleLog.PollingError(logger, exception, source.ToString());

        // Do not spin when the Bot API is unreachable.
        if (exception is RequestException && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private async Task OnMessageAsync(RitualService ritual, Message message, CancellationToken cancellationToken)
    {
        // The ritual happens in the private chat with the bot.
        if (message.Chat.Type != ChatType.Private || message.From is not { } from || message.Text is not { } text)
        {
            Ignore(message.Id, "message outside a private text chat");
            return;
        }

        var reply = await ritual.HandleTextAsync(User(from), text, cancellationToken);
        await SendAsync(from.Id, reply, cancellationToken);
    }

    private async Task OnCallbackQueryAsync(ITelegramBotClient bot, RitualService ritual, CallbackQuery query, CancellationToken cancellationToken)
    {
        string? toast = null;
        try
        {
            var reply = await ritual.HandleButtonAsync(User(query.From), query.Data, cancellationToken);
            toast = reply.Toast;
            await SendAsync(query.From.Id, reply, cancellationToken);
            if (reply.Messages.Count > 0 && query.Message is { } pressed)
            {
                await RemoveButtonsAsync(bot, pressed, cancellationToken);
            }
        }
        finally
        {
            // Every callback query is answered, or the member's button spins.
            try
            {
                await bot.AnswerCallbackQuery(callbackQueryId: query.Id, text: toast, cancellationToken: cancellationToken);
            }
            catch (RequestException ex)
            {
                SampleLog.ApiCallFailed(logger, ex, "answerCallbackQuery");
            }
        }
    }

    // The pressed prompt is answered by a new message: take the old buttons away so the chat reads as one path.
    // Cosmetic only; the engine's compare-and-set already makes a second press harmless.
    private async Task RemoveButtonsAsync(ITelegramBotClient bot, Message pressed, CancellationToken cancellationToken)
    {
        try
        {
            await bot.EditMessageReplyMarkup(chatId: pressed.Chat.Id, messageId: pressed.Id, replyMarkup: null, cancellationToken: cancellationToken);
        }
        catch (RequestException ex)
        {
            // E.g. "message is not modified" after a double tap, or a message too old to edit.
            SampleLog.ApiCallFailed(logger, ex, "editMessageReplyMarkup");
        }
    }

    private async Task OnChatJoinRequestAsync(RitualService ritual, ChatJoinRequest request, CancellationToken cancellationToken)
    {
        if (request.Chat.Id != options.Value.VipChatId)
        {
            Ignore(0, "join request for another chat");
            return;
        }

        var reply = await ritual.HandleJoinRequestAsync(request.From.Id, request.InviteLink?.InviteLink, request.From.LanguageCode, cancellationToken);

        // The bot may message whoever asked to join (user_chat_id) for a few minutes.
        await SendAsync(request.UserChatId, reply, cancellationToken);
    }

    private async Task OnChatMemberAsync(ITelegramBotClient bot, RitualService ritual, ChatMemberUpdated update, CancellationToken cancellationToken)
    {
        var user = update.NewChatMember.User;
        var joined = update.NewChatMember.IsInChat && !update.OldChatMember.IsInChat;
        if (update.Chat.Id != options.Value.VipChatId || !joined || user.IsBot || user.Id == bot.BotId
            || update.NewChatMember.Status is ChatMemberStatus.Administrator or ChatMemberStatus.Creator || options.Value.AdminIds.Contains(user.Id))
        {
            return;
        }

        if (!await ritual.IsEntitledAsync(user.Id, cancellationToken))
        {
            SampleLog.Intruder(logger, user.Id);
            await transport.RemoveAsync(user.Id, cancellationToken);
        }
    }

    private async Task SendAsync(long chatId, RitualReply reply, CancellationToken cancellationToken)
    {
        foreach (var message in reply.Messages)
        {
            await transport.SendAsync(chatId, message, cancellationToken);
        }
    }

    private RitualUser User(User from) => new(from.Id, options.Value.AdminIds.Contains(from.Id), from.LanguageCode);

    private Task Ignore(Update update)
    {
        SampleLog.UpdateIgnored(logger, update.Id, update.Type);
        return Task.CompletedTask;
    }

    private void Ignore(int id, string what) => SampleLog.UpdateSkipped(logger, id, what);
}
