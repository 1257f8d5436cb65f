using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VipEntry.Core.DependencyInjection;
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

        // No integration package for a console: the ritual runs on the engine, with the sample's own sweep.
        services.AddSingleton<SweepSignal>();
        services.AddScoped<EngineRitual>();
        services.AddScoped<IRitualSteps>(sp => sp.GetRequiredService<EngineRitual>());
        services.AddHostedService<SweepService>();
        services.AddHostedService<TerminalChatService>();
        vipEntry.UseLinkIssuer<TerminalLinkIssuer>(ServiceLifetime.Singleton);
    }
}
