using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using VipEntry.SampleBot.Configuration;
using VipEntry.SampleBot.Diagnostics;
using VipEntry.SampleBot.Telegram;

namespace VipEntry.SampleBot.Webhook;

/// <summary>
/// Calls <c>setWebhook</c> at start (the URL, the secret, and <c>allowed_updates</c> with <c>chat_member</c>, which is not
/// sent unless asked for), retrying until the Bot API answers; <c>/healthz</c> says 503 until then. Every replica does it:
/// the URL is the load balancer's, the same for all.
/// </summary>
/// <param name="bot">The client.</param>
/// <param name="readiness">Told when the webhook is set.</param>
/// <param name="options">The URL and the secret.</param>
/// <param name="logger">The logger.</param>
internal sealed class WebhookSetup(ITelegramBotClient bot, WebhookReadiness readiness, IOptions<TelegramOptions> options, ILogger<WebhookSetup> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await bot.SetWebhook(
                    url: o.WebhookUrl!,
                    allowedUpdates: TelegramRegistration.AllowedUpdates,
                    secretToken: o.WebhookSecret,
                    cancellationToken: stoppingToken);
                readiness.IsSet = true;
                SampleLog.WebhookSet(logger, o.WebhookUrl!, o.VipChatId);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (RequestException ex)
            {
                SampleLog.ApiCallFailed(logger, ex, "setWebhook");
            }

            try
            {
                await Task.Delay(RetryDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
