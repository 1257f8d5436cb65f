using System.Globalization;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Load.Checking;

namespace VipEntry.Load.Tests;

/// <summary>
/// Issue 10, "Load across processes" and "Process death", in a short mode: the load tool starts separate worker
/// processes on one database, drives a random op mix, kills workers with SIGKILL when asked, drains, and checks every
/// invariant for every subscriber from the database and the processes' logs. The long modes are in tests/VipEntry.Load/README.md.
/// </summary>
[Collection("Load")]
public sealed class LoadAcrossProcessesTests
{
    // Every engine call the workers make, the channel worker's cycles and one-person work, its sweeps, confirmations and
    // port calls, and the model chat's joins and leaves; each must have been exercised.
    private static readonly string[] OpKinds =
    [
        "Activate", "GetStatus", "Advance", "GetStep", "DeliverAccess", "ReissueAccess", "RedeemToken", "RedeemLink",
        "RequestReentry", "EndSubscription", "Sweep", "ConfirmLapse", "HandleCallback", "Skip",
        "Cycle", "WorkOn", "Join", "Leave", "PortRemove", "PortLift", "PortRevoke",
    ];

    // Issue 14: a fifth of the port calls fail (removals before acting, keep-out removals after the ban, lifts, revocations);
    // 30 % of the sweeps that claim lapses end in a "crash" before a confirmation.
    private static readonly string[] Faults = ["--port-failures", "0.2", "--drop-claims", "0.3"];

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    // The shared virtual clock runs 12 times real time, so a 60 s link (the least the options allow) lives 5 real seconds
    // and expires within the short runs. Lease and cooldown are virtual too: 24 s virtual keeps them at 2 real seconds.
    private static readonly string[] ScaledTime = ["--time-scale", "12", "--lease", "24", "--cooldown", "24"];

    [Fact]
    public async Task Issue10_Load_four_processes_on_PostgreSQL_hold_every_invariant_with_replicas_killed()
    {
        await PostgresServer.RequireAsync();
        var database = $"vipentry_load_{Guid.NewGuid():N}"[..30];
        var output = NewOutputDirectory();
        try
        {
            var run = await LoadToolProcess.RunAsync(
                output,
                Timeout,
                [
                    "--engine", "postgres", "--connection", PostgresServer.BaseConnectionString, "--database", database, "--drop",
                    "--processes", "4", "--subscribers", "10000", "--seconds", "20", "--kill-every", "8", "--seed", "10", .. ScaledTime, .. Faults,
                ]);
            var summary = Report(run);
            Assert.InRange(summary.Kills, 1, 3);
            Assert.Equal(4 + summary.Kills, summary.WorkerProcesses);
            AssertHeld(summary, run);
            Assert.Equal(12, summary.TimeScale);
            Assert.True(LinkExpired(summary) > 0, "no link expired under the scaled clock:\n" + run.Output);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task Issue10_Load_three_processes_on_one_SQLite_file_never_let_database_is_locked_reach_a_caller()
    {
        var output = NewOutputDirectory();
        try
        {
            var run = await LoadToolProcess.RunAsync(
                output,
                Timeout,
                ["--engine", "sqlite", "--processes", "3", "--subscribers", "2000", "--seconds", "12", "--kill-every", "0", "--seed", "11", .. ScaledTime, .. Faults]);
            var summary = Report(run);
            Assert.Equal(0, summary.Kills);
            var exceptions = Assert.Single(summary.Invariants, i => i.Name.StartsWith("no exception", StringComparison.Ordinal));
            Assert.Empty(exceptions.Examples);
            Assert.True(exceptions.Coverage["results"] > 0);
            AssertHeld(summary, run);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static string NewOutputDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vipentry-load-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    private static RunSummary Report(LoadToolProcess run)
    {
        var log = TestContext.Current.TestOutputHelper;
        log?.WriteLine(run.Output);
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"duration of the short mode (seed, load, drain, check, process starts): {run.Duration.TotalSeconds:F1} s"));
        Assert.True(run.Summary is not null, "The load tool wrote no summary. Output:\n" + run.Output);
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LinkExpired results: {LinkExpired(run.Summary)}"));
        return run.Summary;
    }

    // Results "<op>:LinkExpired" of every kind (DeliverAccess, GetStep, RedeemToken, RedeemLink, …).
    private static long LinkExpired(RunSummary summary) =>
        summary.PerOutcome.Where(p => p.Key.EndsWith(":LinkExpired", StringComparison.Ordinal)).Sum(p => p.Value);

    private static void AssertHeld(RunSummary summary, LoadToolProcess run)
    {
        Assert.True(summary.Passed, "The checker found violations:\n" + run.Output);
        Assert.Equal(0, run.ExitCode);
        Assert.All(summary.Invariants, i => Assert.True(i.Passed, i.Name));
        Assert.Equal(11, summary.Invariants.Count);
        foreach (var name in new[] { "after the drain nobody is inside", "after the drain nobody entitled", "after the drain the engine's facts" })
        {
            Assert.True(Assert.Single(summary.Invariants, i => i.Name.StartsWith(name, StringComparison.Ordinal)).Passed, name);
        }

        // The model chat saw the work it is there for: removals (both kinds), bans lifted, port failures (also after a ban),
        // people inside after the drain, renewals racing removals, intruders.
        foreach (var figure in new[] { "removals keep-out", "removals without ban", "bans lifted", "port failures", "port failures after the ban", "joins by other means", "renewals racing a removal" })
        {
            Assert.True(summary.Channel.GetValueOrDefault(figure) > 0, $"channel figure '{figure}' is 0:\n" + run.Output);
        }

        var inside = Assert.Single(summary.Invariants, i => i.Name.StartsWith("after the drain nobody is inside", StringComparison.Ordinal));
        Assert.True(inside.Coverage.GetValueOrDefault("inside after the drain") > 0);
        foreach (var op in OpKinds)
        {
            Assert.True(summary.PerOp.GetValueOrDefault(op) > 0, $"no {op} was sent");
        }

        Assert.True(summary.PerMode.GetValueOrDefault("Advance/stale") > 0, "no stale advance was sent");
        Assert.True(summary.PerMode.GetValueOrDefault("Activate/retry") > 0, "no retried activation was sent");
        Assert.True(summary.PerMode.GetValueOrDefault("ConfirmLapse/dropped claims") > 0, "no claim was dropped");
        Assert.True(summary.OpsPerSecond > 0);
    }
}
