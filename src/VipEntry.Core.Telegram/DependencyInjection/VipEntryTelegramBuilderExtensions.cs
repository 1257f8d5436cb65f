using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VipEntry.Core.Channel;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Telegram.Channel;
using VipEntry.Core.Telegram.Links;
using VipEntry.Core.Telegram.Options;
using VipEntry.Core.Telegram.Payments;
using VipEntry.Core.Telegram.Rendering;
using VipEntry.Core.Telegram.Transport;
using VipEntry.Core.Telegram.Updates;

namespace VipEntry.Core.Telegram;

/// <summary>Registers the Telegram side of the ritual on a <see cref="VipEntryBuilder"/>.</summary>
public static class VipEntryTelegramBuilderExtensions
{
    /// <summary>
    /// Adds the Telegram side of the ritual: <see cref="IVipEntryTelegram"/> (scoped, like the engine), the join-request
    /// invite-link issuer as the engine's link issuer, and this package as the port of VipEntry's one channel worker
    /// (<c>UseChannel</c>; a hosted service, turned off with <see cref="VipEntryTelegramOptions.RunChannelWorker"/>, its
    /// interval <see cref="VipEntryTelegramOptions.SweepInterval"/>). Options are validated at start-up. Uses the host's
    /// <c>ITelegramBotClient</c> from the container, which the host registers; never creates one. Safe to call more than once.
    /// </summary>
    /// <param name="builder">The VipEntry builder.</param>
    /// <param name="configure">Configures <see cref="VipEntryTelegramOptions"/> (at least <see cref="VipEntryTelegramOptions.ChatId"/>); or bind them from configuration yourself.</param>
    /// <returns>The same builder.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0027", Justification = "The Microsoft.Extensions shape: AddX(Action? = null) next to AddX(IConfiguration); a call cannot be ambiguous (a lambda is no IConfiguration).")]
    public static VipEntryBuilder AddTelegram(this VipEntryBuilder builder, Action<VipEntryTelegramOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptionsWithValidateOnStart<VipEntryTelegramOptions, VipEntryTelegramOptionsValidator>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddServices(builder);
    }

    /// <summary>
    /// As <see cref="AddTelegram(VipEntryBuilder, Action{VipEntryTelegramOptions}?)"/>, with <see cref="VipEntryTelegramOptions"/>
    /// bound from <paramref name="configuration"/> (e.g. <c>configuration.GetSection(VipEntryTelegramOptions.SectionName)</c>:
    /// <c>VipEntry:Telegram:ChatId</c>, <c>VipEntry__Telegram__SweepInterval</c>, …), the way Microsoft.Extensions libraries bind
    /// options: invalid or unconvertible values fail at start-up. The channel worker follows <see cref="VipEntryTelegramOptions.SweepInterval"/>
    /// and <see cref="VipEntryTelegramOptions.RunChannelWorker"/> from this section.
    /// </summary>
    /// <param name="builder">The VipEntry builder.</param>
    /// <param name="configuration">The section holding the Telegram settings (its keys are <see cref="VipEntryTelegramOptions"/>' property names).</param>
    /// <returns>The same builder.</returns>
    public static VipEntryBuilder AddTelegram(this VipEntryBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptionsWithValidateOnStart<VipEntryTelegramOptions, VipEntryTelegramOptionsValidator>().Bind(configuration);
        return AddServices(builder);
    }

    /// <summary>
    /// Sells VIP access with Telegram Stars subscriptions (opt-in; call after <c>AddTelegram</c>): registers
    /// <see cref="IVipEntryStarsSeller"/> (scoped), lets <see cref="IVipEntryTelegram.HandleUpdateAsync"/> answer the offer's
    /// <c>pre_checkout_query</c> and apply its <c>successful_payment</c>s, adds a "subscribe again" button under the lapse
    /// notice, and runs the payments worker with the channel worker's settings. Payments are recorded in the registered
    /// <c>IVipEntryPaymentStore</c> (<c>UseInMemoryStore</c>, or the EF Core store). Safe to call more than once.
    /// </summary>
    /// <param name="builder">The VipEntry builder.</param>
    /// <param name="price">The price of one month in whole Stars (1–10000); <see langword="null"/> to take
    /// <see cref="VipEntryTelegramOptions.StarsPrice"/> as configured (e.g. <c>VipEntry:Telegram:StarsPrice</c>), which is then required.</param>
    /// <returns>The same builder.</returns>
    public static VipEntryBuilder SellWithStars(this VipEntryBuilder builder, int? price = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (price is not null)
        {
            services.Configure<VipEntryTelegramOptions>(o => o.StarsPrice = price);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VipEntryTelegramOptions>, StarsOptionsValidator>());
        services.TryAddSingleton<StarsOffer>();
        services.TryAddScoped<StarsApi>();
        services.TryAddScoped<StarsPaymentApplier>();
        services.TryAddScoped<IVipEntryStarsSeller, StarsSeller>();
        services.TryAddScoped<StarsUpdateHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, StarsPaymentsHostedService>());
        return builder;
    }

    private static VipEntryBuilder AddServices(VipEntryBuilder builder)
    {
        var services = builder.Services;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VipEntryTelegramOptions>, VipEntryTelegramOptionsCrossValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TelegramCall>();

        // Scoped: the host's client may be registered with any lifetime, and the engine they serve is scoped.
        services.TryAddScoped<BotMessenger>();
        services.TryAddScoped<VipChat>();
        services.TryAddScoped<PromptSender>();
        services.TryAddScoped<CallbackQueryHandler>();
        services.TryAddScoped<JoinRequestHandler>();
        services.TryAddScoped<ChatMemberHandler>();
        services.TryAddScoped<IVipEntryTelegram, VipEntryTelegram>();
        services.TryAddScoped<IVipEntryWebhook, VipEntryWebhook>();

        // The worker's settings follow the package's own (one place to configure the Telegram side).
        services.AddOptions<VipEntryChannelWorkerOptions>().Configure<IOptionsMonitor<VipEntryTelegramOptions>>((worker, telegram) =>
        {
            VipEntryTelegramOptions settings;
            try
            {
                settings = telegram.CurrentValue;
            }
            catch (OptionsValidationException)
            {
                // Invalid Telegram options are reported once, by their own validation at start-up (R11), not a second
                // time through these (which would turn the one OptionsValidationException into an AggregateException).
                return;
            }

            worker.Enabled = settings.RunChannelWorker;
            worker.Interval = settings.SweepInterval;
        });
        return builder.UseChannel<TelegramChannel>().UseLinkIssuer<TelegramLinkIssuer>();
    }
}
