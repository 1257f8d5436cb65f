using VipEntry.Load.Cli;
using VipEntry.Load.Coordination;
using VipEntry.Load.Workers;

namespace VipEntry.Load;

/// <summary>Entry point: <c>run</c> (the coordinator) or <c>worker</c> (one load process).</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }

        return options.Mode == "worker"
            ? await WorkerHost.RunAsync(options).ConfigureAwait(false)
            : await Coordinator.RunAsync(options).ConfigureAwait(false);
    }
}
