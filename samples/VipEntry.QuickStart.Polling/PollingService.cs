using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Polling;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using VipEntry.Core.Telegram;

namespace MyBot;

public sealed partial class PollingService(ITelegramBotClient bot, IServiceScopeFactory scopes, IConfiguration configuration, ILogger<PollingService> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        bot.ReceiveAsync(
            updateHandler: HandleUpdateAsync,
            errorHandler: async (_, exception, ct) =>
            {
                LogPollingFailed(logger, exception);
                await Task.Delay(TimeSpan.FromSeconds(2), ct);                  // then polling goes on
            },
            receiverOptions: new ReceiverOptions   // chat_member is only sent when asked for
            {
                AllowedUpdates = [UpdateType.Message, UpdateType.CallbackQuery, UpdateType.ChatJoinRequest, UpdateType.ChatMember],
            },
            cancellationToken: stoppingToken);

    private async Task HandleUpdateAsync(ITelegramBotClient _, Update update, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();                     // one scope (one DbContext) per update
        var vip = scope.ServiceProvider.GetRequiredService<IVipEntryTelegram>();
        if (await vip.HandleUpdateAsync(update, ct)) return;                   // the ritual's: done

        if (update.Message is { Text: "/start", From: { } from })
        {
            await vip.ShowStepAsync(from, ct);                                 // where the member is: a prompt, the link, or done
        }
        else if (update.Message is { Text: { } text, From.Id: var admin } && admin == configuration.GetValue<long>("Bot:AdminId")
            && text.Split(' ') is ["/paid", var id, var days]
            && long.TryParse(id, CultureInfo.InvariantCulture, out var memberId) && int.TryParse(days, CultureInfo.InvariantCulture, out var paidDays))
        {
            // A payment knows an id, not a Telegram User: the id overloads (ShowStepAsync(long, …) too).
            await vip.ActivateAsync(memberId, DateTimeOffset.UtcNow.AddDays(paidDays), cancellationToken: ct);
        }

        // ... the rest of your bot
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling failed; retrying in 2 seconds")]
    private static partial void LogPollingFailed(ILogger logger, Exception exception);
}
