using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VipEntry.Core.Channel;
using VipEntry.Core.DependencyInjection;
using VipEntry.SampleBot.Configuration;
using VipEntry.SampleBot.Ritual;

namespace VipEntry.SampleBot.Terminal;

/// <summary>Registers the terminal transport.</summary>
internal static class TerminalRegistration
{
    public static void AddTerminalTransport(this IServiceCollection services, VipEntryBuilder vipEntry)
    {
        services.TryAddSingleton(_ => TerminalConsole.FromProcess());
        services.AddSingleton<TerminalChoices>();
        services.AddSingleton<IRitualTransport, TerminalRitualTransport>();

        // No integration package for a console: the ritual runs on the engine, and the terminal is one more implementation
        // of VipEntry's channel port, driven by the same hosted channel worker as Telegram (every Bot__SweepInterval).
        services.AddSingleton<TerminalChannel>();
        vipEntry.UseChannel<TerminalChannel>(lifetime: ServiceLifetime.Singleton);
        services.Replace(ServiceDescriptor.Singleton<IVipEntryChannel>(sp => sp.GetRequiredService<TerminalChannel>()));
        services.AddOptions<VipEntryChannelWorkerOptions>().Configure<IOptions<BotOptions>>((worker, bot) => worker.Interval = bot.Value.SweepInterval);
        services.AddScoped<EngineRitual>();
        services.AddScoped<IRitualSteps>(sp => sp.GetRequiredService<EngineRitual>());
        services.AddHostedService<TerminalChatService>();
        vipEntry.UseLinkIssuer<TerminalLinkIssuer>(ServiceLifetime.Singleton);
    }
}
