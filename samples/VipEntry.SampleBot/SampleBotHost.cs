using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore;
using VipEntry.Core.Options;
using VipEntry.SampleBot.Configuration;
using VipEntry.SampleBot.Data;
using VipEntry.SampleBot.Ritual;
using VipEntry.SampleBot.Telegram;
using VipEntry.SampleBot.Terminal;

namespace VipEntry.SampleBot;

/// <summary>
/// Builds the sample's Generic Host: Telegram mode when <c>Telegram__BotToken</c> is set, terminal mode otherwise.
/// Public so that tests can host the real bot in-process.
/// </summary>
public static class SampleBotHost
{
    /// <summary>Creates the host builder from appsettings.json, environment variables and <paramref name="args"/>.</summary>
    /// <param name="args">Command-line arguments (<c>--Telegram:BotToken=...</c> works as well as the environment).</param>
    /// <returns>The builder; call <c>Build()</c> and run it.</returns>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,

            // appsettings.json travels with the binary; the SQLite file stays relative to the working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });

        var configuration = builder.Configuration;
        var telegram = configuration.GetSection(TelegramOptions.SectionName).Get<TelegramOptions>() ?? new TelegramOptions();
        builder.Services.Configure<TelegramOptions>(configuration.GetSection(TelegramOptions.SectionName));
        builder.Services.Configure<BotOptions>(configuration.GetSection(BotOptions.SectionName));

        builder.Services.AddSampleDatabase(configuration);
        var vipEntry = builder.Services.AddVipEntry();
        builder.Services.Configure<VipEntryOptions>(configuration.GetSection("VipEntry"));
        UseStore(vipEntry);

        builder.Services.AddSingleton<SweepSignal>();
        builder.Services.AddScoped<ActivationCodes>();
        builder.Services.AddScoped<RitualService>();
        builder.Services.AddHostedService<SweepService>();

        if (telegram.IsConfigured)
        {
            builder.Services.AddTelegramTransport(vipEntry);
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

    /// <summary>Where ritual state lives: the one place that chooses the VipEntry store.</summary>
    /// <param name="vipEntry">The VipEntry builder.</param>
    private static void UseStore(VipEntryBuilder vipEntry) =>

        // Members' ritual state lives in the sample's own database (table vip_subscribers), so a restart resumes.
        vipEntry.AddEntityFrameworkCoreStore<SampleDbContext>();
}
