using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VipEntry.Core.Links;
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
        await using var provider = BuildProvider(options, connection, log);
        _ = provider.GetRequiredService<IOptions<VipEntryOptions>>().Value; // validates the short lifetimes at start-up
        var worker = new Worker(options, new OpRunner(provider, log), provider.GetRequiredService<GrantBook>());
        await worker.RunAsync().ConfigureAwait(false);
        Console.WriteLine($"{options.WorkerId}: done");
        return 0;
    }

    public static ServiceProvider BuildProvider(LoadOptions options, string connection, JsonlLog log)
    {
        var services = LoadDatabase.EngineServices(options, connection);
        services.AddSingleton(log);
        services.AddSingleton<GrantBook>();
        services.AddScoped<OpContext>();
        services.Replace(ServiceDescriptor.Scoped<IVipEntryLinkIssuer, LoadLinkIssuer>());
        return services.BuildServiceProvider();
    }
}
