using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Telegram.Bot;
using Telegram.Bot.Types;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore;
using VipEntry.Core.Engine;
using VipEntry.Core.Telegram;

namespace VipEntry.DocSnippets;

/// <summary>docs/payments.md: selling VIP access with Telegram Stars subscriptions.</summary>
public static class StarsSelling
{
    /// <summary>The registration, with what it names from the host as parameters.</summary>
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        #region register
        services.AddVipEntry()
            .AddEntityFrameworkCoreStore<BotDbContext>()   // the ritual and the payments, in your DbContext
            .AddTelegram(configuration.GetSection(VipEntryTelegramOptions.SectionName))   // ChatId, StarsPrice, ...
            .SellWithStars();                              // or .SellWithStars(price: 250)
        #endregion
    }

    /// <summary>The update handler, with what it names from the host as parameters.</summary>
    public static async Task Handle(IServiceProvider scope, Update update, long adminId, CancellationToken ct)
    {
        #region handle
        var vip = scope.GetRequiredService<IVipEntryTelegram>();
        var stars = scope.GetRequiredService<IVipEntryStarsSeller>();
        if (await vip.HandleUpdateAsync(update, ct)) return;   // our pre_checkout_query and successful_payment too

        if (update.Message is { Text: "/buy", From: { } buyer }) await stars.OfferAsync(buyer, ct);   // or their status
        else if (update.Message is { Text: "/start", From: { } from })
        {
            var active = (await scope.GetRequiredService<IVipEntryStateMachine>().GetStatusAsync(from.Id, ct)).IsActive;
            if (active) await vip.ShowStepAsync(from, ct); else await stars.OfferAsync(from, ct);
        }
        else if (update.Message is { Text: { } text, From.Id: var id } && id == adminId && text.Split(' ') is ["/refund", var who]
            && long.TryParse(who, CultureInfo.InvariantCulture, out var member))
        {
            var refunded = await stars.RefundLatestAsync(member, ct);   // Refunded, AlreadyRefunded, NoPayment or Failed (ask again)
            await scope.GetRequiredService<ITelegramBotClient>().SendMessage(chatId: id, text: $"Refund: {refunded}", cancellationToken: ct);
        }
        #endregion
    }
}
