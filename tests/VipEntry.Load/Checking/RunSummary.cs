using System.Globalization;
using System.Text;

namespace VipEntry.Load.Checking;

/// <summary>The run's figures and the checker's verdict, printed and written as <c>summary.json</c>.</summary>
public sealed class RunSummary
{
    public string Engine { get; set; } = "";

    public int Processes { get; set; }

    public int Concurrency { get; set; }

    public int Subscribers { get; set; }

    public double Seconds { get; set; }

    /// <summary>Virtual seconds per real second of the run's clock.</summary>
    public double TimeScale { get; set; } = 1;

    public int Kills { get; set; }

    public int WorkerProcesses { get; set; }

    public long Operations { get; set; }

    /// <summary>Real seconds from the first operation's start to the last one's end.</summary>
    public double LoadSeconds { get; set; }

    /// <summary>The same span in the virtual time the logs and the database hold (<see cref="LoadSeconds"/> × <see cref="TimeScale"/>).</summary>
    public double VirtualLoadSeconds { get; set; }

    public double OpsPerSecond { get; set; }

    public double SeedSeconds { get; set; }

    public double DrainSeconds { get; set; }

    public double CheckSeconds { get; set; }

    public long LostInFlight { get; set; }

    public Dictionary<string, long> PerOp { get; set; } = [];

    public Dictionary<string, long> PerMode { get; set; } = [];

    public Dictionary<string, long> PerOutcome { get; set; } = [];

    /// <summary>What the channel worker did to the model chat (removals, lifts, port failures, joins, …), the drain included.</summary>
    public Dictionary<string, long> Channel { get; set; } = [];

    public List<InvariantResult> Invariants { get; set; } = [];

    public List<string> Problems { get; set; } = [];

    public bool Passed => Problems.Count == 0 && Invariants.All(i => i.Passed);

    public string Describe()
    {
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(c, $"== VipEntry load: {Engine}, {Processes} processes (x{Concurrency} in flight), {Subscribers} subscribers, {Seconds} s (time x{TimeScale}), {Kills} kills (SIGKILL), {WorkerProcesses} worker processes in all");
        s.AppendLine(c, $"operations: {Operations} in {LoadSeconds:F1} s ({VirtualLoadSeconds:F0} s virtual) = {OpsPerSecond:F0} ops/s; lost in flight by kills: {LostInFlight}; seed {SeedSeconds:F1} s, drain {DrainSeconds:F1} s, check {CheckSeconds:F1} s");
        s.AppendLine("per op:      " + string.Join(", ", PerOp.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}")));
        s.AppendLine("per mode:    " + string.Join(", ", PerMode.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}")));
        s.AppendLine("channel:     " + string.Join(", ", Channel.Select(p => $"{p.Key} {p.Value}")));
        s.AppendLine("per outcome: " + string.Join(", ", PerOutcome.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}")));
        foreach (var invariant in Invariants)
        {
            s.AppendLine(c, $"[{(invariant.Passed ? "ok" : "FAIL")}] {invariant.Name}: {string.Join(", ", invariant.Coverage.Select(p => $"{p.Key} {p.Value}"))}");
            foreach (var example in invariant.Examples)
            {
                s.AppendLine("    violation: " + example);
            }

            if (invariant.Violations > invariant.Examples.Count)
            {
                s.AppendLine(c, $"    ... {invariant.Violations - invariant.Examples.Count} more");
            }
        }

        foreach (var problem in Problems)
        {
            s.AppendLine("problem: " + problem);
        }

        s.Append(Passed ? "RESULT: every invariant held" : "RESULT: FAILED");
        return s.ToString();
    }
}
