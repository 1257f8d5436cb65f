using System.Diagnostics;
using System.Globalization;
using VipEntry.Benchmarks.EfCore;

namespace VipEntry.Benchmarks;

/// <summary>
/// <c>--paired</c>: the EF pairs measured interleaved, call by call (baseline, candidate, baseline, candidate …), so a
/// load change on a shared machine hits both sides alike. BenchmarkDotNet measures one side's iterations after the
/// other's; with other jobs on the same 2 cores its ratios swing by more than the differences measured. Reports, per
/// pair, the median over rounds of (candidate time / baseline time) and the mean time per call of each side.
/// </summary>
internal static class PairedRunner
{
    private const int Rounds = 9;

    /// <summary>Restricts the pairs, comma-separated class names (e.g. <c>Transition,StateMachine</c>); all by default.</summary>
    public const string PairsVariable = "VIPENTRY_BENCH_PAIRS";

    public static async Task RunAsync()
    {
        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine("| Class | Engine | Case | Method | Mean per call | Median ratio (9 rounds) | Min–max ratio |");
        Console.WriteLine("|---|---|---|---|---:|---:|---:|");
        var chosen = Environment.GetEnvironmentVariable(PairsVariable);
        var pairs = string.IsNullOrWhiteSpace(chosen)
            ? null
            : chosen.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        bool Runs(string @class) => pairs is null || pairs.Contains(@class);
        foreach (var engine in BenchmarkDatabase.Engines)
        {
            foreach (var operation in (string[])["Advance", "Redeem", "Issue", "Renew"])
            {
                if (!Runs("Transition"))
                {
                    break;
                }

                var b = new EfCoreTransitionBenchmarks { Engine = engine, Operation = operation };
                b.Setup();
                await Report("Transition", engine, operation, EfCoreTransitionBenchmarks.Moves / 2, b.ResetRows, [("Raw", b.Raw), ("Store", b.Store)]);
                await b.Cleanup();
            }

            if (Runs("StateMachine"))
            {
                var m = new EfCoreStateMachineBenchmarks { Engine = engine };
                m.Setup();
                await Report("StateMachine", engine, "Advance", EfCoreStateMachineBenchmarks.Moves / 4, m.ResetRows,
                    [("Raw", m.Raw), ("Advance", m.Advance), ("ScopePerCall", m.ScopePerCall), ("ScopePerCallPooled", m.ScopePerCallPooled), ("PooledScopeOnly", m.PooledScopeOnly)]);
                await m.Cleanup();
            }

            foreach (var operation in (string[])["Claim", "Settle"])
            {
                if (!Runs("Channel"))
                {
                    break;
                }

                var c = new EfCoreChannelBenchmarks { Engine = engine, Operation = operation };
                c.Setup();
                await Report("Channel", engine, operation, EfCoreChannelBenchmarks.Moves / 2, c.ResetRows, [("Raw", c.Raw), ("Store", c.Store)]);
                await c.Cleanup();
            }

            if (Runs("ChannelCycle"))
            {
                // Whole cycles over 10,000 owed items: each side from a fresh reset, alternating, 3 rounds after a warm-up.
                var y = new EfCoreChannelCycleBenchmarks { Engine = engine };
                y.Setup();
                var ratios = new List<double>();
                double raw = 0, worker = 0;
                for (var round = -1; round < 3; round++)
                {
                    y.Reset();
                    var start = Stopwatch.GetTimestamp();
                    await y.Raw();
                    var r = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    y.Reset();
                    start = Stopwatch.GetTimestamp();
                    await y.Worker();
                    var w = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    if (round >= 0)
                    {
                        raw += r;
                        worker += w;
                        ratios.Add(w / r);
                    }
                }

                ratios.Sort();
                Console.WriteLine(string.Create(culture, $"| ChannelCycle | {engine} | 10,000 owed | Raw | {raw / 3:F0} ms | 1.00 | 1.00–1.00 |"));
                Console.WriteLine(string.Create(culture, $"| ChannelCycle | {engine} | 10,000 owed | Worker | {worker / 3:F0} ms | {ratios[1]:F2} | {ratios[0]:F2}–{ratios[^1]:F2} |"));
                y.Cleanup();
            }

            if (Runs("Funnel"))
            {
                var f = new EfCoreFunnelBenchmarks { Engine = engine };
                f.Setup();
                await Report("Funnel", engine, "CountByStage", 100, () => { },
                    [("RawGroupBy", async () => await f.RawGroupBy()), ("CountByStage", async () => await f.CountByStage())]);
                await f.Cleanup();
            }
        }

        async Task Report(string @class, string engine, string @case, int callsPerRound, Action reset, (string Name, Func<Task> Call)[] methods)
        {
            var totals = new double[methods.Length];
            var ratios = methods.Select(_ => new List<double>()).ToArray();
            for (var round = -1; round < Rounds; round++) // round -1 warms up
            {
                reset();
                var times = new double[methods.Length];
                for (var call = 0; call < callsPerRound; call++)
                {
                    for (var i = 0; i < methods.Length; i++)
                    {
                        var start = Stopwatch.GetTimestamp();
                        await methods[i].Call();
                        times[i] += Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    }
                }

                if (round < 0)
                {
                    continue;
                }

                for (var i = 0; i < methods.Length; i++)
                {
                    totals[i] += times[i];
                    ratios[i].Add(times[i] / times[0]);
                }
            }

            for (var i = 0; i < methods.Length; i++)
            {
                var sorted = ratios[i].Order().ToList();
                var mean = totals[i] / (Rounds * callsPerRound);
                Console.WriteLine(string.Create(culture, $"| {@class} | {engine} | {@case} | {methods[i].Name} | {mean:F1} μs | {sorted[Rounds / 2]:F2} | {sorted[0]:F2}–{sorted[^1]:F2} |"));
            }
        }
    }
}
