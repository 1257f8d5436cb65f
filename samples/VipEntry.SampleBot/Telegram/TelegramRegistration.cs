using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Telegram;
using VipEntry.SampleBot.Configuration;
using VipEntry.SampleBot.Ritual;

namespace VipEntry.SampleBot.Telegram;

/// <summary>Registers the Telegram side: the client, the <c>VipEntry.Core.Telegram</c> package, the commands, and long polling unless a webhook takes its place.</summary>
internal static class TelegramRegistration
{
    /// <summary>What the bot asks Telegram for, polling or webhook: chat_member is not sent unless asked for.</summary>
    /// <remarks>pre_checkout_query: a Stars payment is confirmed there (issue 17); successful_payment comes as a message.</remarks>
    public static readonly UpdateType[] AllowedUpdates = [UpdateType.Message, UpdateType.CallbackQuery, UpdateType.ChatJoinRequest, UpdateType.ChatMember, UpdateType.PreCheckoutQuery];

    public static void AddTelegramTransport(this IServiceCollection services, VipEntryBuilder vipEntry, bool polling, int? starsPrice)
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

        // The ritual's Telegram side, channel worker included (it sweeps every Bot__SweepInterval, in every replica).
        vipEntry.AddTelegram();
        services.AddOptions<VipEntryTelegramOptions>().Configure<IOptions<TelegramOptions>, IOptions<BotOptions>>((o, telegram, bot) =>
        {
            o.ChatId = telegram.Value.VipChatId;
            o.SweepInterval = bot.Value.SweepInterval;
            o.WebhookUpdateLease = bot.Value.UpdateLease;

            // The payload key: a secret every replica has already (the token), never the token itself.
            o.StarsPayloadKey = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("VipEntry.SampleBot.Stars\n" + telegram.Value.BotToken)));
        });

        // Telegram__StarsPrice set: the package sells access with Stars subscriptions (/buy, /start, the lapse notice's
        // button, admin /refund <id>). Activation codes stay.
        if (starsPrice is not null)
        {
            vipEntry.SellWithStars(starsPrice);
        }

        services.AddSingleton<BotIdentity>();
        services.AddSingleton<SweepNow>();
        services.AddScoped<IRitualSteps, TelegramRitualSteps>();
        services.AddSingleton<UpdateHandler>();
        if (polling)
        {
            services.AddHostedService<PollingService>();
        }
    }
}
