using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VipEntry.Core.Channel;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Telegram.Channel;
using VipEntry.Core.Telegram.Links;
using VipEntry.Core.Telegram.Options;
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
    public static VipEntryBuilder AddTelegram(this VipEntryBuilder builder, Action<VipEntryTelegramOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptionsWithValidateOnStart<VipEntryTelegramOptions, VipEntryTelegramOptionsValidator>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

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
