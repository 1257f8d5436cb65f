using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore;
using VipEntry.Core.Options;
using VipEntry.Core.Storage;
using VipEntry.SampleBot.Configuration;
using VipEntry.SampleBot.Data;
using VipEntry.SampleBot.Ritual;
using VipEntry.SampleBot.Telegram;
using VipEntry.SampleBot.Terminal;
using VipEntry.SampleBot.Webhook;

namespace VipEntry.SampleBot;

/// <summary>
/// Builds the sample: terminal mode with no configuration; Telegram mode with long polling when <c>Telegram__BotToken</c>
/// is set; webhook mode (an ASP.NET Core app, the way to run several replicas) when <c>Telegram__WebhookUrl</c> is set too.
/// Public so that tests can host the real bot in-process.
/// </summary>
public static class SampleBotHost
{
    /// <summary>Builds the host for the configured mode.</summary>
    /// <param name="args">Command-line arguments (<c>--Telegram:BotToken=...</c> works as well as the environment).</param>
    /// <returns>The host, not started.</returns>
    /// <exception cref="SampleConfigurationException">A setting is missing or invalid (the message names it).</exception>
    public static IHost Build(string[] args)
    {
        // Read once, as the hosts will, to choose which host to build.
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        return ReadTelegram(configuration).IsWebhook ? BuildWebhook(CreateWebhookBuilder(args)) : CreateBuilder(args).Build();
    }

    /// <summary>Creates the Generic Host builder of terminal mode, or of Telegram mode with long polling.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The builder; call <c>Build()</c> and run it.</returns>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,

            // appsettings.json travels with the binary; the SQLite file stays relative to the working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });

        var telegram = ReadTelegram(builder.Configuration);
        var vipEntry = AddSample(builder);
        if (telegram.IsConfigured)
        {
            builder.Services.AddTelegramTransport(vipEntry, polling: true, telegram.StarsPrice);
        }
        else
        {
            // The console is the chat: logs go to stderr, and only warnings, so they do not interleave with it.
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.AddFilter<ConsoleLoggerProvider>(category: null, level: LogLevel.Warning);
            builder.Services.AddTerminalTransport(vipEntry);
        }

        return builder;
    }

    /// <summary>Creates the ASP.NET Core builder of webhook mode; it listens where <c>Urls</c> / <c>ASPNETCORE_URLS</c> says.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The builder; build it with <see cref="BuildWebhook"/>.</returns>
    /// <exception cref="SampleConfigurationException">The webhook URL or secret is missing or invalid.</exception>
    public static WebApplicationBuilder CreateWebhookBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var telegram = ReadTelegram(builder.Configuration);
        WebhookSettings.Validate(telegram);
        var vipEntry = AddSample(builder);
        builder.Services.AddTelegramTransport(vipEntry, polling: false, telegram.StarsPrice);
        builder.Services.AddWebhook();
        return builder;
    }

    /// <summary>Builds the webhook app and maps its endpoints.</summary>
    /// <param name="builder">The builder from <see cref="CreateWebhookBuilder"/>.</param>
    /// <returns>The app, not started.</returns>
    public static WebApplication BuildWebhook(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var path = WebhookSettings.Validate(ReadTelegram(builder.Configuration));
        var app = builder.Build();
        app.MapWebhook(path);
        return app;
    }

    private static TelegramOptions ReadTelegram(IConfiguration configuration) =>
        configuration.GetSection(TelegramOptions.SectionName).Get<TelegramOptions>() ?? new TelegramOptions();

    // What every mode shares: settings, the database, the engine, and the commands.
    private static VipEntryBuilder AddSample(IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.Configure<TelegramOptions>(configuration.GetSection(TelegramOptions.SectionName));
        builder.Services.Configure<BotOptions>(configuration.GetSection(BotOptions.SectionName));

        builder.Services.AddSampleDatabase(configuration);
        var vipEntry = builder.Services.AddVipEntry();
        builder.Services.Configure<VipEntryOptions>(configuration.GetSection("VipEntry"));
        UseStore(vipEntry);

        builder.Services.AddScoped<ActivationCodes>();
        builder.Services.AddScoped<RitualService>();
        return vipEntry;
    }

    /// <summary>Where ritual state lives: the one place that chooses the VipEntry store.</summary>
    /// <param name="vipEntry">The VipEntry builder.</param>
    private static void UseStore(VipEntryBuilder vipEntry)
    {
        // Members' ritual state, the channel facts, webhook update claims and Stars payments live in the sample's own
        // database (tables vip_subscribers, vip_entry_channel, vip_entry_updates, vip_entry_payments), so a restart resumes.
        vipEntry.AddEntityFrameworkCoreStore<SampleDbContext>();
    }
}
