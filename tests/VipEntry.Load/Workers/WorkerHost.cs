using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VipEntry.Core.Engine;
using VipEntry.Core.Links;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Options;
using VipEntry.Load.Cli;
using VipEntry.Load.Coordination;
using VipEntry.Load.Logging;
using VipEntry.Load.Storage;

namespace VipEntry.Load.Workers;

/// <summary><c>worker</c> mode: its own service provider (AddVipEntry + the EF store, its own connection pool) and log.</summary>
public static class WorkerHost
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connection = Environment.GetEnvironmentVariable(WorkerProcess.ConnectionVariable) ?? options.Connection;
        Directory.CreateDirectory(Path.Combine(options.Out, "logs"));
        using var log = new JsonlLog(Path.Combine(options.Out, "logs", options.WorkerId + ".jsonl"), options.WorkerId);
        await using var provider = BuildProvider(options, connection, log, new ChannelFaults(options.PortFailures, options.DropClaims));
        _ = provider.GetRequiredService<IOptions<VipEntryOptions>>().Value; // validates the short lifetimes at start-up
        await WarmUpAsync(provider).ConfigureAwait(false);
        Console.WriteLine($"{options.WorkerId}: ready");
        var until = await WaitForGoAsync(options).ConfigureAwait(false);
        var worker = new Worker(options, provider.GetRequiredService<OpRunner>(), provider.GetRequiredService<GrantBook>());
        await worker.RunAsync(until).ConfigureAwait(false);
        Console.WriteLine($"{options.WorkerId}: done");
        return 0;
    }

    /// <summary>The file the coordinator writes the common deadline to once every first worker is warm.</summary>
    public static string GoFile(string outDirectory) => Path.Combine(outDirectory, "logs", "go");

    // A cold process (JIT, EF model and query compilation) needs seconds before its first answer on a busy machine; the
    // load starts when every worker is warm. Subscriber 0 does not exist: these calls change nothing and are not logged.
    private static async Task WarmUpAsync(IServiceProvider provider)
    {
        await using var scope = provider.CreateAsyncScope();
        var machine = scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
        _ = await machine.GetStatusAsync(0).ConfigureAwait(false);
        _ = await machine.AdvanceAsync(0, VipEntryStage.ActivationConfirmation).ConfigureAwait(false);
        _ = await machine.DeliverAccessAsync(0).ConfigureAwait(false);
        _ = await machine.RequestReentryAsync(0).ConfigureAwait(false);
        _ = await machine.RedeemLinkAsync(0, "vipload:warm-up").ConfigureAwait(false);
        _ = await machine.EndSubscriptionAsync(0).ConfigureAwait(false);
        _ = await machine.HandleCallbackAsync(0, "vipe:1:1").ConfigureAwait(false);
    }

    private static async Task<long> WaitForGoAsync(LoadOptions options)
    {
        var go = GoFile(options.Out);
        // Real time: the go file holds the real deadline.
        var giveUp = options.Clock.GetRealUtcNow() + TimeSpan.FromSeconds(120);
        while (options.Clock.GetRealUtcNow() < giveUp)
        {
            if (File.Exists(go) && long.TryParse(await File.ReadAllTextAsync(go).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture, out var until))
            {
                return until;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        throw new TimeoutException("The coordinator never said go.");
    }

    /// <summary>
    /// A process's services: the engine on the EF store behind <see cref="LoggingStateMachine"/>, the model chat as the
    /// channel port with <paramref name="faults"/>, the log, the grant book and the issuer of the run.
    /// </summary>
    public static ServiceProvider BuildProvider(LoadOptions options, string connection, JsonlLog log, ChannelFaults faults)
    {
        var services = LoadDatabase.EngineServices(options, connection);
        services.AddSingleton(log);
        services.AddSingleton(faults);
        services.AddSingleton<OpRunner>();
        var store = services.Single(d => d.ServiceType == typeof(IVipEntryChannelStore));
        services.AddScoped(sp => new ChannelStoreProbe((IVipEntryChannelStore)store.ImplementationFactory!(sp)));
        services.Replace(ServiceDescriptor.Scoped<IVipEntryChannelStore>(sp => sp.GetRequiredService<ChannelStoreProbe>()));
        services.Replace(ServiceDescriptor.Scoped<IVipEntryStateMachine>(sp => new LoggingStateMachine(
            ActivatorUtilities.CreateInstance<VipEntryStateMachine>(sp), sp.GetRequiredService<OpRunner>(), sp.GetRequiredService<ChannelFaults>())));
        services.AddSingleton<GrantBook>();
        services.AddScoped<OpContext>();
        services.Replace(ServiceDescriptor.Scoped<IVipEntryLinkIssuer, LoadLinkIssuer>());
        return services.BuildServiceProvider();
    }
}
