using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Channel;
using VipEntry.Core.Engine;
using VipEntry.Load.Logging;
using VipEntry.Load.Storage;

namespace VipEntry.Load.Workers;

/// <summary>
/// The operations on the model VIP chat and the channel worker, shared by the workers and the drain: a worker cycle
/// (<c>Cycle</c>), someone joining (<c>Join</c>: after a redemption, as the transport approves the join request, or by
/// other means), someone leaving (<c>Leave</c>), and the drain's redelivery of reports a killed process never finished
/// (<c>Redeliver</c>). A join or leave changes the chat first and then reports it to the engine, as a transport reports
/// the <c>chat_member</c> update it receives; a leave checks the chat again after its report, so a join whose report
/// overtook it is not undone.
/// </summary>
public static class ChannelOps
{
    public const string Joined = "Joined";
    public const string JoinedNotEntitled = "JoinedNotEntitled";
    public const string Banned = "Banned";

    public static Task<CycleRun?> CycleAsync(OpRunner ops, string mode)
    {
        ArgumentNullException.ThrowIfNull(ops);
        return ops.RunScopedAsync(
            new LogLine { Op = "Cycle", Mode = mode },
            async sp =>
            {
                var probe = sp.GetRequiredService<ChannelStoreProbe>();
                try
                {
                    return new CycleRun(await sp.GetRequiredService<IVipEntryChannelWorker>().RunOnceAsync().ConfigureAwait(false), false, probe);
                }
                catch (SimulatedCrashException)
                {
                    return new CycleRun(null, true, probe);
                }
            },
            (line, run) =>
            {
                line.Outcome = run.Crashed ? "Crashed" : "Cycled";
                line.Report = run.Report is { } r ? Describe(r) : [];
                line.Report["dueLists"] = run.Probe?.Lists ?? 0;
                line.Report["claimed"] = run.Probe?.Claims ?? 0;
                line.Report["settlementsLost"] = run.Probe?.SettlementsLost ?? 0;
            });
    }

    private static Dictionary<string, long> Describe(VipEntryChannelCycleReport r) => new(StringComparer.Ordinal)
    {
        ["removed"] = r.Removed,
        ["lifted"] = r.BansLifted,
        ["revoked"] = r.LinksRevoked,
        ["failed"] = r.Failed,
        ["lapses"] = r.LapsesConfirmed,
        ["letBackIn"] = r.LetBackIn,
    };

    /// <summary>The owed channel work of one person now (as a host does right after a renewal or an intruder's report).</summary>
    public static Task<CycleRun?> WorkOnAsync(OpRunner ops, long personId)
    {
        ArgumentNullException.ThrowIfNull(ops);
        return ops.RunScopedAsync(
            new LogLine { Op = "WorkOn", Subscriber = personId },
            async sp => new CycleRun(await sp.GetRequiredService<IVipEntryChannelWorker>().WorkOnAsync(personId).ConfigureAwait(false), false, null),
            (line, run) =>
            {
                line.Outcome = run.Report is { Removed: 0, BansLifted: 0, LinksRevoked: 0, Failed: 0 } ? "Nothing" : run.Report!.Failed > 0 ? "Failed" : "Worked";
                line.Report = Describe(run.Report!);
            });
    }

    public static Task<string?> JoinAsync(OpRunner ops, long personId, string mode)
    {
        ArgumentNullException.ThrowIfNull(ops);
        return ops.RunScopedAsync(
            new LogLine { Op = "Join", Mode = mode, Subscriber = personId },
            async sp =>
            {
                var db = sp.GetRequiredService<LoadDbContext>();
                if (!await LoadChannelTable.JoinAsync(db, personId).ConfigureAwait(false))
                {
                    return Banned;
                }

                var entitled = await sp.GetRequiredService<IVipEntryStateMachine>().ReportInsideAsync(personId).ConfigureAwait(false);
                await LoadChannelTable.ReportedAsync(db, personId).ConfigureAwait(false);
                return entitled ? Joined : JoinedNotEntitled;
            },
            (line, outcome) => line.Outcome = outcome);
    }

    public static Task<string?> LeaveAsync(OpRunner ops, long personId)
    {
        ArgumentNullException.ThrowIfNull(ops);
        return ops.RunScopedAsync(
            new LogLine { Op = "Leave", Subscriber = personId },
            async sp =>
            {
                var db = sp.GetRequiredService<LoadDbContext>();
                if (!await LoadChannelTable.LeaveAsync(db, personId).ConfigureAwait(false))
                {
                    return "NotInside";
                }

                var engine = sp.GetRequiredService<IVipEntryStateMachine>();
                await engine.ReportOutsideAsync(personId).ConfigureAwait(false);
                var outcome = "Left";
                if (await LoadChannelTable.IsInsideAsync(db, personId).ConfigureAwait(false))
                {
                    // Someone joined while this leave was being reported: its report may have landed first.
                    await engine.ReportInsideAsync(personId).ConfigureAwait(false);
                    outcome = "LeftAndRejoined";
                }

                await LoadChannelTable.ReportedAsync(db, personId).ConfigureAwait(false);
                return outcome;
            },
            (line, outcome) => line.Outcome = outcome);
    }

    /// <summary>The drain: reports the chat's truth for everyone whose last change a killed process may not have reported.</summary>
    public static async Task<int> RedeliverAsync(OpRunner ops, IServiceProvider provider)
    {
        ArgumentNullException.ThrowIfNull(ops);
        ArgumentNullException.ThrowIfNull(provider);
        List<long> pending;
        await using (var scope = provider.CreateAsyncScope())
        {
            pending = await LoadChannelTable.PendingAsync(scope.ServiceProvider.GetRequiredService<LoadDbContext>()).ConfigureAwait(false);
        }

        foreach (var personId in pending)
        {
            await ops.RunScopedAsync(
                new LogLine { Op = "Redeliver", Subscriber = personId },
                async sp =>
                {
                    var db = sp.GetRequiredService<LoadDbContext>();
                    var engine = sp.GetRequiredService<IVipEntryStateMachine>();
                    string outcome;
                    if (await LoadChannelTable.IsInsideAsync(db, personId).ConfigureAwait(false))
                    {
                        await engine.ReportInsideAsync(personId).ConfigureAwait(false);
                        outcome = "ReportedInside";
                    }
                    else
                    {
                        await engine.ReportOutsideAsync(personId).ConfigureAwait(false);
                        outcome = "ReportedOutside";
                    }

                    await LoadChannelTable.ClearPendingAsync(db, personId).ConfigureAwait(false);
                    return outcome;
                },
                (line, outcome) => line.Outcome = outcome).ConfigureAwait(false);
        }

        return pending.Count;
    }
}
