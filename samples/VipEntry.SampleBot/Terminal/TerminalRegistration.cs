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
        services.AddHostedService<TerminalChatService>();
        vipEntry.UseLinkIssuer<TerminalLinkIssuer>(ServiceLifetime.Singleton);
    }
}
