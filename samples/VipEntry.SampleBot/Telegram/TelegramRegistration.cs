using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using VipEntry.Core.DependencyInjection;
using VipEntry.SampleBot.Configuration;
using VipEntry.SampleBot.Ritual;

namespace VipEntry.SampleBot.Telegram;

/// <summary>Registers the Telegram transport.</summary>
internal static class TelegramRegistration
{
    public static void AddTelegramTransport(this IServiceCollection services, VipEntryBuilder vipEntry)
    {
        services.AddOptions<TelegramOptions>()
            .Validate(o => o.VipChatId != 0, "Telegram__VipChatId is required in Telegram mode (the private VIP channel or group).")
            .ValidateOnStart();
        services.AddSingleton<ITelegramBotClient>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
            var baseUrl = string.IsNullOrWhiteSpace(o.ApiBaseUrl) ? null : o.ApiBaseUrl;

            // 429 "retry after X": Telegram.Bot waits X seconds and retries, up to RetryCount times.
            return new TelegramBotClient(new TelegramBotClientOptions(o.BotToken!, baseUrl) { RetryThreshold = 60, RetryCount = 3 });
        });
        services.AddSingleton<BotIdentity>();
        services.AddSingleton<TelegramRitualTransport>();
        services.AddSingleton<IRitualTransport>(sp => sp.GetRequiredService<TelegramRitualTransport>());
        services.AddSingleton<UpdateHandler>();
        services.AddHostedService<PollingService>();
        vipEntry.UseLinkIssuer<TelegramLinkIssuer>();
    }
}
