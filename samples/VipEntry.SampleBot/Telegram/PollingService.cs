using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Polling;
using VipEntry.SampleBot.Configuration;
using VipEntry.SampleBot.Diagnostics;

namespace VipEntry.SampleBot.Telegram;

/// <summary>Long polling as a background service (Telegram.Bot's Console.Advanced shape). Ctrl+C cancels it cleanly.</summary>
/// <param name="bot">The client.</param>
/// <param name="handler">The update handler.</param>
/// <param name="identity">The bot's username, logged at start.</param>
/// <param name="options">The VIP chat.</param>
/// <param name="logger">The logger.</param>
internal sealed class PollingService(ITelegramBotClient bot, UpdateHandler handler, BotIdentity identity, IOptions<TelegramOptions> options, ILogger<PollingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var receiverOptions = new ReceiverOptions { AllowedUpdates = TelegramRegistration.AllowedUpdates, DropPendingUpdates = false };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var username = await identity.GetUsernameAsync(stoppingToken);
                SampleLog.Polling(logger, username, options.Value.VipChatId);
                await bot.ReceiveAsync(updateHandler: handler, receiverOptions: receiverOptions, cancellationToken: stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                SampleLog.PollingError(logger, ex, "receive loop");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
