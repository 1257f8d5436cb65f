using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Polling;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using VipEntry.Core.Telegram;
using VipEntry.SampleBot.Configuration;
using VipEntry.SampleBot.Diagnostics;
using VipEntry.SampleBot.Ritual;

namespace VipEntry.SampleBot.Telegram;

/// <summary>
/// Telegram.Bot's <see cref="IUpdateHandler"/> (the Console.Advanced shape), each update in its own DI scope: the update
/// goes to <see cref="IVipEntryTelegram"/> first (buttons, join requests, chat members of the VIP chat); what it leaves is
/// the sample's own: the commands, answered by the shared <see cref="RitualService"/>. Long polling calls
/// <see cref="HandleUpdateAsync"/>; the webhook endpoint calls <see cref="ProcessAsync"/>.
/// </summary>
/// <param name="scopes">Creates a scope per update.</param>
/// <param name="bot">The client.</param>
/// <param name="options">The admins.</param>
/// <param name="logger">The logger.</param>
internal sealed class UpdateHandler(IServiceScopeFactory scopes, ITelegramBotClient bot, IOptions<TelegramOptions> options, ILogger<UpdateHandler> logger) : IUpdateHandler
{
    /// <summary>Long polling: an update that fails is logged and skipped, and the member is told to try again.</summary>
    public async Task HandleUpdateAsync(ITelegramBotClient botClient, Update update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        try
        {
            await ProcessAsync(update, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // One member's error never stops the bot; tell them to try again where we can.
            SampleLog.UpdateFailed(logger, ex, update.Id, update.Type);
            if ((update.Message?.From ?? update.CallbackQuery?.From) is { } user)
            {
                await SendAsync(user.Id, RitualMessage.Plain("Something went wrong on our side. Nothing was lost: please try again in a moment."), cancellationToken);
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

    /// <summary>Handles one update, its replies sent when it returns; a failure (e.g. the database) propagates.</summary>
    /// <param name="update">The update.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes once the update is handled.</returns>
    public async Task ProcessAsync(Update update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);

        // The sample's admins are trusted in the VIP chat even when they are not its administrators. (Telegram.Bot leaves a
        // field the JSON lacks null despite its type: a malformed update must not throw here.)
        if (update.ChatMember is { NewChatMember.User: { } joiner } && options.Value.AdminIds.Contains(joiner.Id))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<IVipEntryTelegram>().HandleUpdateAsync(update, cancellationToken))
        {
            return;
        }

        switch (update)
        {
            case { Message: { } message }:
                await OnMessageAsync(scope.ServiceProvider.GetRequiredService<RitualService>(), message, cancellationToken);
                break;
            case { PreCheckoutQuery: { } checkout }:
                // Not VipEntry's offer: this bot sells nothing else, so it is refused (Telegram wants an answer within 10 s).
                await CallAsync("answerPreCheckoutQuery", () => bot.AnswerPreCheckoutQuery(preCheckoutQueryId: checkout.Id, errorMessage: "This bot sells nothing else.", cancellationToken: cancellationToken));
                break;
            case { CallbackQuery: { } query }:
                // Not VipEntry's, and this bot has no buttons of its own; answered all the same, or the button spins.
                await CallAsync("answerCallbackQuery", () => bot.AnswerCallbackQuery(callbackQueryId: query.Id, text: "This button is not valid.", cancellationToken: cancellationToken));
                break;
            default:
                SampleLog.UpdateIgnored(logger, update.Id, update.Type);
                break;
        }
    }

    private async Task OnMessageAsync(RitualService ritual, Message message, CancellationToken cancellationToken)
    {
        // The commands happen in the private chat with the bot.
        if (message.Chat is not { Type: ChatType.Private } || message.From is not { } from || message.Text is not { } text)
        {
            SampleLog.UpdateSkipped(logger, message.Id, "message outside a private text chat");
            return;
        }

        var user = new RitualUser(from.Id, options.Value.AdminIds.Contains(from.Id), from.LanguageCode);
        var reply = await ritual.HandleTextAsync(user, text, cancellationToken);
        foreach (var sent in reply.Messages)
        {
            await SendAsync(from.Id, sent, cancellationToken);
        }
    }

    private Task SendAsync(long chatId, RitualMessage message, CancellationToken cancellationToken) =>
        CallAsync("sendMessage", () => bot.SendMessage(chatId: chatId, text: TelegramRendering.Text(message), cancellationToken: cancellationToken));

    // A reply that cannot be sent (the member blocked the bot, the API is down) is logged; the update still counts as handled.
    private async Task CallAsync(string method, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RequestException ex)
        {
            SampleLog.ApiCallFailed(logger, ex, method);
        }
    }
}
