using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Load.Checking;
using VipEntry.Load.Cli;
using VipEntry.Load.Logging;
using VipEntry.Load.Storage;
using VipEntry.Load.Workers;

namespace VipEntry.Load.Coordination;

/// <summary>
/// <c>run</c> mode: a fresh database, the subscribers seeded, N worker processes (killed with SIGKILL at random moments
/// and replaced, when asked), a graceful stop, the drain, the checker, the summary. Exit code 1 when any invariant fails.
/// </summary>
public static class Coordinator
{
    private static readonly JsonSerializerOptions Indented = new(LoadJsonContext.Default.Options) { WriteIndented = true, TypeInfoResolver = LoadJsonContext.Default };

    public static async Task<int> RunAsync(LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var logs = Path.Combine(options.Out, "logs");
        Directory.CreateDirectory(logs);
        foreach (var old in Directory.GetFiles(logs))
        {
            File.Delete(old);
        }

        var manifest = new RunManifest
        {
            Engine = options.Engine.ToString().ToLowerInvariant(),
            Processes = options.Processes,
            Subscribers = options.Subscribers,
            Seconds = options.Seconds,
            KillEvery = options.KillEvery,
            Seed = options.Seed,
            Concurrency = options.Concurrency,
            LeaseSeconds = options.LeaseSeconds,
            TimeScale = options.TimeScale,
            TimeEpochTicks = options.TimeEpochTicks,
        };

        Console.WriteLine($"VipEntry load: {manifest.Engine}, {options.Processes} processes x {options.Concurrency} in flight, {options.Subscribers} subscribers, {options.Seconds} s, kill every {options.KillEvery} s, time x{options.TimeScale}");
        var connection = await LoadDatabase.CreateFreshAsync(options).ConfigureAwait(false);
        var seedLog = Path.Combine(logs, "seed.jsonl");
        var drainLog = Path.Combine(logs, "drain.jsonl");
        manifest.CoordinatorLogs = [seedLog, drainLog];
        try
        {
            using (var log = new JsonlLog(seedLog, "seed"))
            {
                await using var provider = WorkerHost.BuildProvider(options, connection, log, ChannelFaults.None);
                var clock = Stopwatch.StartNew();
                if (await Seeder.SeedAsync(provider, log, options.Clock, options.Subscribers, options.Seconds, options.Seed).ConfigureAwait(false) is { } problem)
                {
                    manifest.Problems.Add(problem);
                }

                manifest.SeedSeconds = clock.Elapsed.TotalSeconds;
                Console.WriteLine($"seeded {options.Subscribers} subscribers in {manifest.SeedSeconds:F1} s");
            }

            await RunWorkersAsync(options, connection, manifest).ConfigureAwait(false);

            using (var log = new JsonlLog(drainLog, "drain"))
            {
                // Without port failures and crashes: the drain is the run's last, healthy worker.
                await using var provider = WorkerHost.BuildProvider(options, connection, log, ChannelFaults.None);
                var clock = Stopwatch.StartNew();
                manifest.DrainedAtTicks = await Drainer.DrainAsync(provider, provider.GetRequiredService<OpRunner>(), TimeSpan.FromSeconds(options.LeaseSeconds), TimeSpan.FromSeconds(60 + (options.LeaseSeconds * 4))).ConfigureAwait(false);
                manifest.DrainSeconds = clock.Elapsed.TotalSeconds;
                if (manifest.DrainedAtTicks == 0)
                {
                    manifest.Problems.Add("the drain did not reach a state where nothing is owed");
                }

                Console.WriteLine($"drained in {manifest.DrainSeconds:F1} s");
            }

            await File.WriteAllTextAsync(Path.Combine(options.Out, "manifest.json"), JsonSerializer.Serialize(manifest, LoadJsonContext.Default.RunManifest)).ConfigureAwait(false);
            var summary = await Checker.CheckAsync(options, connection, manifest).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(options.Out, "summary.json"), JsonSerializer.Serialize(summary, Indented)).ConfigureAwait(false);
            Console.WriteLine(summary.Describe());
            return summary.Passed ? 0 : 1;
        }
        finally
        {
            if (options.Drop && options.Engine == LoadEngine.Postgres)
            {
                await LoadDatabase.DropPostgresAsync(options.Connection, options.Database).ConfigureAwait(false);
            }
        }
    }

    private static async Task RunWorkersAsync(LoadOptions options, string connection, RunManifest manifest)
    {
        var random = new Random(options.Seed);
        var alive = new List<WorkerProcess>();
        var all = new List<WorkerProcess>();
        try
        {
            for (var k = 0; k < options.Processes; k++)
            {
                var worker = WorkerProcess.Start(options, connection, $"w{k}", (options.Seed * 100) + k);
                alive.Add(worker);
                all.Add(worker);
            }

            // The clock starts when every worker is warm; replacements started later join the same deadline.
            var ready = Task.WhenAll(alive.Select(w => w.Ready));
            if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(120))).ConfigureAwait(false) != ready)
            {
                manifest.Problems.Add("the workers did not all warm up within 120 s");
            }

            // The deadline is real (the load runs --seconds of wall clock); the go file holds it in real time, the manifest in virtual.
            var clock = options.Clock;
            var started = clock.GetRealUtcNow();
            var until = started + TimeSpan.FromSeconds(options.Seconds);
            manifest.StartedTicks = clock.ToVirtual(started).UtcTicks;
            manifest.UntilTicks = clock.ToVirtual(until).UtcTicks;
            var go = WorkerHost.GoFile(options.Out);
            await File.WriteAllTextAsync(go + ".tmp", until.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
            File.Move(go + ".tmp", go, overwrite: true);
            Console.WriteLine($"{options.Processes} workers warm; load for {options.Seconds} s");

            if (options.KillEvery > 0)
            {
                var replacements = 0;
                while (true)
                {
                    var wait = TimeSpan.FromSeconds(options.KillEvery * (0.5 + random.NextDouble()));
                    if (clock.GetRealUtcNow() + wait > until - TimeSpan.FromSeconds(1))
                    {
                        break;
                    }

                    await Task.Delay(wait).ConfigureAwait(false);
                    var victim = alive[random.Next(alive.Count)];
                    victim.Kill();
                    alive.Remove(victim);
                    Console.WriteLine($"killed {victim.Entry.Id} (SIGKILL) at +{(clock.GetRealUtcNow() - started).TotalSeconds:F0} s");
                    var replacement = WorkerProcess.Start(options, connection, $"{victim.Entry.Id[..2]}r{++replacements}", (options.Seed * 100) + 50 + replacements);
                    alive.Add(replacement);
                    all.Add(replacement);
                }
            }

            var grace = until - clock.GetRealUtcNow() + TimeSpan.FromSeconds(60);
            foreach (var worker in alive)
            {
                if (!await worker.WaitForExitAsync(grace < TimeSpan.Zero ? TimeSpan.FromSeconds(5) : grace).ConfigureAwait(false))
                {
                    manifest.Problems.Add($"worker {worker.Entry.Id} did not stop; killed");
                    worker.Kill();
                }
                else if (worker.Entry.ExitCode != 0)
                {
                    manifest.Problems.Add($"worker {worker.Entry.Id} exited with {worker.Entry.ExitCode}: {worker.Entry.OutputTail}");
                }
            }
        }
        finally
        {
            foreach (var worker in all)
            {
                manifest.Workers.Add(worker.Entry);
                worker.Dispose();
            }
        }
    }
}
