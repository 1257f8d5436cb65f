using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.EfCore;
using VipEntry.Load.Cli;
using VipEntry.Load.Coordination;
using VipEntry.Load.Logging;
using VipEntry.Load.Storage;
using VipEntry.Load.Workers;

namespace VipEntry.Load.Checking;

/// <summary>
/// Reads the database and every process's log after the drain and checks the invariants of issue 10 for every subscriber.
/// Operations overlap across processes, so an operation is placed only by what is certain: it took effect somewhere between
/// its intent (I, written before the call) and its result (R, written after); one lost in flight by a kill may have
/// taken effect any time after I. Only what is provably wrong under that uncertainty is a violation.
/// </summary>
public static class Checker
{
    private const string Advanced = "Advanced";
    private const string AccessIssued = "AccessIssued";
    private const string Redeemed = "Redeemed";
    private const string Readmitted = "Readmitted";

    public static async Task<RunSummary> CheckAsync(LoadOptions options, string connection, RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(manifest);
        var clock = Stopwatch.StartNew();
        var logs = RunLogs.Read(manifest);
        var snapshotAt = options.Clock.GetUtcNow(); // virtual, as every stored and logged time
        List<VipEntrySubscriber> rows;
        List<LoadChannelRow> chat;
        List<EngineChannelFact> facts;
        var services = new ServiceCollection();
        services.AddDbContext<LoadDbContext>(o => LoadDatabase.Configure(o, options.Engine, connection));
        await using (var provider = services.BuildServiceProvider())
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LoadDbContext>();
            rows = await db.Set<VipEntrySubscriber>().AsNoTracking().ToListAsync().ConfigureAwait(false);
            chat = await db.Set<LoadChannelRow>().AsNoTracking().ToListAsync().ConfigureAwait(false);
            facts = await ReadFactsAsync(db).ConfigureAwait(false);
        }

        var summary = Check(manifest, logs, rows, snapshotAt, chat, facts);
        summary.CheckSeconds = clock.Elapsed.TotalSeconds;
        return summary;
    }

    // The engine's channel facts (EF Core store, default names, the default chat "main").
    private static async Task<List<EngineChannelFact>> ReadFactsAsync(LoadDbContext db)
    {
        var facts = new List<EngineChannelFact>();
        await db.Database.OpenConnectionAsync().ConfigureAwait(false);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT user_id, may_be_inside, ban_may_stand FROM vip_entry_channel WHERE chat = 'main'";
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                var c = System.Globalization.CultureInfo.InvariantCulture;
                facts.Add(new EngineChannelFact(Convert.ToInt64(reader.GetValue(0), c), Convert.ToBoolean(reader.GetValue(1), c), Convert.ToBoolean(reader.GetValue(2), c)));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }

        return facts;
    }

    /// <summary>
    /// The checks themselves, over logs already read, the rows as they were at <paramref name="snapshotAt"/>, the model chat
    /// (<paramref name="chat"/>) and the engine's channel facts (<paramref name="facts"/>) after the drain.
    /// </summary>
    public static RunSummary Check(RunManifest manifest, RunLogs logs, List<VipEntrySubscriber> rows, DateTimeOffset snapshotAt, IReadOnlyList<LoadChannelRow>? chat = null, IReadOnlyList<EngineChannelFact>? facts = null)
    {
        chat ??= [];
        facts ??= [];
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentNullException.ThrowIfNull(rows);
        var summary = Summarize(manifest, logs);
        summary.Invariants.Add(NoExceptions(logs));
        summary.Invariants.Add(logs.Counts);
        var byMember = logs.Ops.Where(o => o.Intent.Subscriber is not null).GroupBy(o => o.Member).ToDictionary(g => g.Key, g => g.ToList());
        summary.Invariants.Add(NoStageSkipped(byMember));
        var grants = logs.Issued.Where(l => l.TokenHash is not null).GroupBy(l => l.TokenHash!).ToDictionary(g => g.Key, g => g.First());
        var starts = logs.Ops.ToDictionary(o => (o.Intent.Worker, o.Intent.Seq), o => o.I);
        summary.Invariants.Add(OneLiveGrant(logs, grants, starts, rows));
        summary.Invariants.Add(RedeemedOnceByOwner(logs, grants));
        summary.Invariants.Add(NoLapsedMemberAdmitted(byMember));
        summary.Invariants.Add(LapsesConfirmedOnce(logs, manifest, rows));
        summary.Invariants.Add(NoPaidUpMemberOwing(rows, snapshotAt));
        summary.Invariants.Add(NobodyInsideUnentitled(manifest, rows, chat));
        summary.Invariants.Add(NobodyPayingBanned(manifest, rows, chat));
        summary.Invariants.Add(EngineKnowsTheChat(manifest, chat, facts));
        return summary;
    }

    // Entitled at the drain's end: a subscriber, ritual completed (stage NULL), subscription ending after it.
    private static bool Entitled(VipEntrySubscriber? row, long at) => row is { VipEntryStage: null } && row.ExpiresAt.UtcTicks > at;

    private static bool Paying(VipEntrySubscriber? row, long at) => row is not null && row.ExpiresAt.UtcTicks > at;

    private static string Describe(VipEntrySubscriber? row) =>
        row is null ? "not a subscriber" : $"stage {(row.VipEntryStage is { } st ? st.ToString(System.Globalization.CultureInfo.InvariantCulture) : "completed")}, subscription ends {row.ExpiresAt:O}";

    private static InvariantResult NobodyInsideUnentitled(RunManifest manifest, List<VipEntrySubscriber> rows, IReadOnlyList<LoadChannelRow> chat)
    {
        var result = new InvariantResult { Name = "after the drain nobody is inside the chat who is not entitled (completed, subscription active)" };
        if (manifest.DrainedAtTicks == 0)
        {
            result.Fail("the drain never saw a state where nothing is owed (no subscriber checked)");
            return result;
        }

        var bySubscriber = rows.ToDictionary(r => r.UserId);
        result.Cover("people the chat saw", chat.Count);
        foreach (var person in chat.Where(p => p.Inside))
        {
            var row = bySubscriber.GetValueOrDefault(person.UserId);
            result.Cover("inside after the drain");
            if (!Entitled(row, manifest.DrainedAtTicks))
            {
                result.Fail($"subscriber {person.UserId}: inside the chat after the drain and not entitled ({Describe(row)})");
            }
        }

        result.Cover("outside after the drain", chat.Count(p => !p.Inside));
        return result;
    }

    private static InvariantResult NobodyPayingBanned(RunManifest manifest, List<VipEntrySubscriber> rows, IReadOnlyList<LoadChannelRow> chat)
    {
        var result = new InvariantResult { Name = "after the drain nobody entitled or paying stays banned" };
        if (manifest.DrainedAtTicks == 0)
        {
            result.Fail("the drain never saw a state where nothing is owed (no subscriber checked)");
            return result;
        }

        var bySubscriber = rows.ToDictionary(r => r.UserId);
        foreach (var person in chat.Where(p => p.Banned))
        {
            var row = bySubscriber.GetValueOrDefault(person.UserId);
            result.Cover("bans standing (on people not paying)");
            if (Paying(row, manifest.DrainedAtTicks))
            {
                result.Fail($"subscriber {person.UserId}: banned after the drain though paying ({Describe(row)})");
            }
        }

        return result;
    }

    // What the engine must know for the chat to stay right later: everyone inside is recorded as possibly inside (else a
    // later lapse would leave them in), every ban standing is recorded as possibly standing (else a later payment would
    // never lift it). A ban is never inside.
    private static InvariantResult EngineKnowsTheChat(RunManifest manifest, IReadOnlyList<LoadChannelRow> chat, IReadOnlyList<EngineChannelFact> facts)
    {
        var result = new InvariantResult { Name = "after the drain the engine's facts cover the chat (everyone inside may be inside, every ban may stand)" };
        if (manifest.DrainedAtTicks == 0)
        {
            result.Fail("the drain never saw a state where nothing is owed (no subscriber checked)");
            return result;
        }

        var byPerson = facts.ToDictionary(f => f.PersonId);
        result.Cover("engine facts", facts.Count);
        foreach (var person in chat)
        {
            var fact = byPerson.GetValueOrDefault(person.UserId);
            if (person.Inside && person.Banned)
            {
                result.Fail($"subscriber {person.UserId}: inside and banned at once");
            }

            if (person.Inside && fact is not { MayBeInside: true })
            {
                result.Fail($"subscriber {person.UserId}: inside the chat, but the engine records them outside");
            }

            if (person.Banned && fact is not { BanMayStand: true })
            {
                result.Fail($"subscriber {person.UserId}: banned, but the engine records no ban that may stand");
            }

            if (person.Pending != 0)
            {
                result.Fail($"subscriber {person.UserId}: a change of membership was never reported to the engine");
            }
        }

        return result;
    }

    private static RunSummary Summarize(RunManifest manifest, RunLogs logs)
    {
        var summary = new RunSummary
        {
            Engine = manifest.Engine,
            Processes = manifest.Processes,
            Concurrency = manifest.Concurrency,
            Subscribers = manifest.Subscribers,
            Seconds = manifest.Seconds,
            TimeScale = manifest.TimeScale > 0 ? manifest.TimeScale : 1,
            Kills = manifest.Workers.Count(w => w.Killed),
            WorkerProcesses = manifest.Workers.Count,
            SeedSeconds = manifest.SeedSeconds,
            DrainSeconds = manifest.DrainSeconds,
            Problems = manifest.Problems,
        };
        var workers = manifest.Workers.Select(w => w.Id).ToHashSet(StringComparer.Ordinal);
        var load = logs.Ops.Where(o => workers.Contains(o.Intent.Worker)).ToList();
        foreach (var op in load)
        {
            if (op.InFlight)
            {
                summary.LostInFlight++;
                continue;
            }

            summary.Operations++;
            summary.PerOp[op.Op] = summary.PerOp.GetValueOrDefault(op.Op) + 1;
            summary.PerOutcome[op.Op + ":" + op.Outcome] = summary.PerOutcome.GetValueOrDefault(op.Op + ":" + op.Outcome) + 1;
            if (op.Intent.Mode is { } mode)
            {
                summary.PerMode[op.Op + "/" + mode] = summary.PerMode.GetValueOrDefault(op.Op + "/" + mode) + 1;
            }
        }

        summary.PerMode["ConfirmLapse/dropped claims"] = logs.Ops.Where(o => o.Result?.Claims is not null).Sum(o => o.Result!.Claims!.Count(c => c.Dropped));
        ChannelFigures(summary, logs);
        if (load.Count > 0)
        {
            var first = load.Min(o => o.I);
            var last = load.Where(o => !o.InFlight).Max(o => o.R);
            // The logs are in virtual time; the load's length and rate are reported in real time.
            summary.VirtualLoadSeconds = TimeSpan.FromTicks(last - first).TotalSeconds;
            summary.LoadSeconds = summary.VirtualLoadSeconds / summary.TimeScale;
            summary.OpsPerSecond = summary.LoadSeconds > 0 ? summary.Operations / summary.LoadSeconds : 0;
        }

        return summary;
    }

    // What the channel worker and the model chat did, the drain included (which has no port failures and no crashes).
    private static void ChannelFigures(RunSummary summary, RunLogs logs)
    {
        long Count(string op, Func<LoggedOp, bool>? also = null) => logs.Ops.Count(o => o.Op == op && !o.InFlight && (also is null || also(o)));
        var c = summary.Channel;
        c["cycles"] = Count("Cycle");
        c["cycles crashed before a confirmation"] = Count("Cycle", o => o.Is("Crashed"));
        c["removals"] = Count("PortRemove", o => o.Is(LoadChannel.Done));
        c["removals keep-out"] = Count("PortRemove", o => o.Is(LoadChannel.Done) && o.Intent.Mode == "keepout");
        c["removals without ban"] = Count("PortRemove", o => o.Is(LoadChannel.Done) && o.Intent.Mode == "withoutban");
        c["bans lifted"] = Count("PortLift", o => o.Is(LoadChannel.Done));
        c["links revoked"] = Count("PortRevoke", o => o.Is(LoadChannel.Done));
        c["port failures"] = Count("PortRemove", o => !o.Is(LoadChannel.Done)) + Count("PortLift", o => !o.Is(LoadChannel.Done)) + Count("PortRevoke", o => !o.Is(LoadChannel.Done));
        c["port failures after the ban"] = Count("PortRemove", o => o.Is(LoadChannel.FailedAfterBan));
        c["members inside at the start"] = Count("Join", o => o.Intent.Mode == "seed" && !o.Is(ChannelOps.Banned));
        c["joins after a redemption"] = Count("Join", o => o.Intent.Mode == "redeemed" && !o.Is(ChannelOps.Banned));
        c["joins by other means"] = Count("Join", o => o.Intent.Mode is "other" or "stranger" && !o.Is(ChannelOps.Banned));
        c["joins refused by a ban"] = Count("Join", o => o.Is(ChannelOps.Banned));
        c["leaves"] = Count("Leave", o => !o.Is("NotInside"));
        c["reports redelivered by the drain"] = Count("Redeliver");
        c["renewals racing a removal"] = logs.Ops.Count(o => o.Op == "Activate" && o.Intent.Mode == "race" && !o.InFlight);
    }

    private static InvariantResult NoExceptions(RunLogs logs)
    {
        var result = new InvariantResult { Name = "no exception reaches a caller (results are values; on SQLite no 'database is locked')" };
        foreach (var op in logs.Ops)
        {
            if (op.InFlight)
            {
                continue;
            }

            result.Cover("results");
            if (op.Is(OpRunner.ExceptionOutcome))
            {
                result.Fail($"subscriber {op.Member}: {op} threw {op.Result!.Error}");
            }
        }

        return result;
    }

    // Advance from 1 (Advance op or the stage-1 button), from 2 (Advance op or the stage-2 button), and redemption of stage 3
    // (not re-entry, which leaves a completed member completed). A button press whose own advance succeeded reports the next
    // step, and says AccessIssued instead of Advanced when that step delivered the grant (the engine reports AccessIssued for
    // an advance press only then): the stage-2 press does so on its own; the stage-1 press when another advance from 2 came
    // in between its advance and its next step (seen under load: 1→2 by the button, 2→3 by a concurrent Advance).
    private static bool IsSuccessFrom(LoggedOp op, int stage) => stage switch
    {
        1 => (op.Op == "Advance" && op.Intent.From == 1 && op.Is(Advanced)) || (op.Op == "HandleCallback" && op.Intent.CallbackData == "vipe:1:1" && (op.Is(Advanced) || op.Is(AccessIssued))),
        2 => (op.Op == "Advance" && op.Intent.From == 2 && op.Is(Advanced)) || (op.Op == "HandleCallback" && op.Intent.CallbackData == "vipe:1:2" && (op.Is(Advanced) || op.Is(AccessIssued))),
        _ => op.Op is "RedeemToken" or "RedeemLink" && op.Is(Redeemed),
    };

    private static bool MaySucceedFrom(LoggedOp op, int stage) => IsSuccessFrom(op, stage) || (op.InFlight && stage switch
    {
        1 => (op.Op == "Advance" && op.Intent.From == 1) || (op.Op == "HandleCallback" && op.Intent.CallbackData == "vipe:1:1"),
        2 => (op.Op == "Advance" && op.Intent.From == 2) || (op.Op == "HandleCallback" && op.Intent.CallbackData == "vipe:1:2"),
        _ => false,
    });

    private static bool MayEnterStageOne(LoggedOp op) =>
        op.Op == "Seed" || (op.Op == "Activate" && (op.InFlight || op.Is("Started") || op.Is("Restarted")));

    private static bool MayWriteEnd(LoggedOp op) =>
        op.Op == "Seed" || (op.Op == "Activate" && (op.InFlight || op.Is("Started") || op.Is("Restarted") || op.Is("Renewed") || op.Is(OpRunner.ExceptionOutcome)));

    private static InvariantResult NoStageSkipped(Dictionary<long, List<LoggedOp>> byMember)
    {
        var result = new InvariantResult { Name = "no stage skipped (each advance moved one stage from the stage it named; no stage left twice per entry)" };
        foreach (var (member, ops) in byMember)
        {
            var touched = false;
            foreach (var op in ops.Where(o => !o.InFlight))
            {
                if (op.Op == "Advance" && op.Is(Advanced) && (op.Intent.From is not (1 or 2) || op.Result!.Stage != op.Intent.From + 1))
                {
                    result.Fail($"subscriber {member}: {op} ended at stage {op.Result!.Stage}");
                }

                if (op.Op == "HandleCallback" && op.Is(Advanced) && op.Intent.CallbackData is not ("vipe:1:1" or "vipe:1:2"))
                {
                    result.Fail($"subscriber {member}: {op} advanced on data that is no advance");
                }

                if ((op.Is(Redeemed) || op.Is(Readmitted)) && op.Result!.Stage != 4)
                {
                    result.Fail($"subscriber {member}: {op} left the member at stage {op.Result.Stage}");
                }
            }

            for (var stage = 1; stage <= 3; stage++)
            {
                var from = stage;
                var successes = ops.Where(o => IsSuccessFrom(o, from)).OrderBy(o => o.R).ToList();
                var entries = stage == 1 ? ops.Where(MayEnterStageOne).ToList() : ops.Where(o => MaySucceedFrom(o, from - 1)).ToList();
                LoggedOp? previous = null;
                foreach (var success in successes)
                {
                    touched = true;
                    result.Cover(stage == 3 ? "completions checked" : $"advances from {stage} checked");

                    // The entry into this stage must have been written between the two leavings (whichever wrote first).
                    var low = previous is null ? long.MinValue : Math.Min(previous.I, success.I);
                    var high = previous is null ? success.R : Math.Max(previous.R, success.R);
                    if (!entries.Any(e => e.R > low && e.I < high))
                    {
                        result.Fail($"subscriber {member}: {success} left stage {stage} without an entry into it since {(previous is null ? "the start" : previous.ToString())}");
                    }

                    previous = success;
                }
            }

            if (touched)
            {
                result.Cover("subscribers");
            }
        }

        return result;
    }

    private static InvariantResult OneLiveGrant(RunLogs logs, Dictionary<string, LogLine> grants, Dictionary<(string, long), long> starts, List<VipEntrySubscriber> rows)
    {
        var result = new InvariantResult { Name = "at most one live grant per member (a grant replaced is never redeemed; stored hashes unique)" };
        var byOwner = logs.Issued.GroupBy(l => l.Subscriber!.Value).ToDictionary(g => g.Key, g => g.ToList());
        result.Cover("grants issued", logs.Issued.Count);
        result.Cover("subscribers with a grant", byOwner.Count);
        result.Cover("subscribers with several grants", byOwner.Count(g => g.Value.Count > 1));
        foreach (var op in logs.Ops.Where(o => o.Is(Redeemed) || o.Is(Readmitted)))
        {
            if (GrantOf(op, grants) is not { } grant || !byOwner.TryGetValue(grant.Subscriber!.Value, out var owned))
            {
                continue;
            }

            result.Cover("redemptions checked against later grants");

            // A grant whose operation started after this one was logged was written to the row after it, replacing it for good.
            foreach (var later in owned)
            {
                if (later.TokenHash != grant.TokenHash && starts.TryGetValue((later.Worker, later.Seq), out var laterStart)
                    && laterStart > grant.Ticks && later.Ticks < op.I)
                {
                    result.Fail($"subscriber {grant.Subscriber}: {op} redeemed a grant replaced by {later.Worker}#{later.Seq} before the redemption started");
                    break;
                }
            }
        }

        var stored = rows.Where(r => r.VipEntryTokenHash is not null).ToList();
        result.Cover("stored grants", stored.Count);
        foreach (var row in stored)
        {
            if (grants.TryGetValue(row.VipEntryTokenHash!, out var issued) && issued.Subscriber != row.UserId)
            {
                result.Fail($"subscriber {row.UserId}: holds the grant issued to subscriber {issued.Subscriber}");
            }
        }

        foreach (var duplicate in stored.GroupBy(r => r.VipEntryTokenHash!).Where(g => g.Count() > 1))
        {
            result.Fail($"subscribers {string.Join(", ", duplicate.Select(r => r.UserId))}: share one stored grant");
        }

        return result;
    }

    private static LogLine? GrantOf(LoggedOp op, Dictionary<string, LogLine> grants)
    {
        if (op.Intent.TokenHash is { } hash)
        {
            return grants.GetValueOrDefault(hash);
        }

        return op.Intent.Link is { } link ? grants.Values.FirstOrDefault(g => g.Link == link) : null;
    }

    private static InvariantResult RedeemedOnceByOwner(RunLogs logs, Dictionary<string, LogLine> grants)
    {
        var result = new InvariantResult { Name = "each grant redeemed at most once, and only by its owner" };
        var byLink = grants.Values.Where(g => g.Link is not null).ToDictionary(g => g.Link!, StringComparer.Ordinal);
        var redeemed = new Dictionary<string, List<LoggedOp>>(StringComparer.Ordinal);
        foreach (var op in logs.Ops.Where(o => o.Op is "RedeemToken" or "RedeemLink" && !o.InFlight))
        {
            result.Cover($"redemptions tried ({op.Intent.Mode})");
            if (!(op.Is(Redeemed) || op.Is(Readmitted)))
            {
                continue;
            }

            var grant = op.Intent.TokenHash is { } hash ? grants.GetValueOrDefault(hash) : byLink.GetValueOrDefault(op.Intent.Link ?? "");
            if (grant is null)
            {
                result.Fail($"subscriber {op.Member}: {op} redeemed a grant no issuer logged");
                continue;
            }

            if (grant.Subscriber != op.Intent.Claimant)
            {
                result.Fail($"subscriber {grant.Subscriber}: {op} admitted claimant {op.Intent.Claimant} with the owner's grant");
            }

            if (!redeemed.TryGetValue(grant.TokenHash!, out var list))
            {
                redeemed[grant.TokenHash!] = list = [];
            }

            list.Add(op);
        }

        foreach (var (_, list) in redeemed.Where(p => p.Value.Count > 1))
        {
            result.Fail($"subscriber {list[0].Member}: one grant redeemed {list.Count} times ({string.Join("; ", list)})");
        }

        result.Cover("grants redeemed", redeemed.Count);
        return result;
    }

    private static InvariantResult NoLapsedMemberAdmitted(Dictionary<long, List<LoggedOp>> byMember)
    {
        var result = new InvariantResult { Name = "no lapsed member advanced or admitted" };
        foreach (var (member, ops) in byMember)
        {
            var ends = ops.Where(o => o.Op == "EndSubscription" && o.Is("SubscriptionEnded")).ToList();
            var writers = ops.Where(MayWriteEnd).ToList();
            if (ends.Count > 0)
            {
                result.Cover("subscribers ended explicitly");
            }

            foreach (var success in ops.Where(o => IsSuccessFrom(o, 1) || IsSuccessFrom(o, 2) || IsSuccessFrom(o, 3) || o.Is(Readmitted)))
            {
                result.Cover("advances and admissions checked");

                // Ended explicitly before it started, and no activation could have renewed in between.
                foreach (var end in ends.Where(e => e.R < success.I))
                {
                    if (!writers.Any(x => x.R > end.I && x.I < success.R))
                    {
                        result.Fail($"subscriber {member}: {success} started after {end} returned, with no renewal since");
                        break;
                    }
                }

                // Ran out on its own before it started: every end any activation that could precede it wrote had passed.
                var latestEnd = ops.Where(o => (o.Op == "Seed" || o.Op == "Activate") && o.I < success.R && o.Intent.End is not null).Select(o => o.Intent.End!.Value).DefaultIfEmpty(long.MaxValue).Max();
                if (success.I >= latestEnd)
                {
                    result.Fail($"subscriber {member}: {success} started at {new DateTimeOffset(success.I, TimeSpan.Zero):O}, after the latest subscription end {new DateTimeOffset(latestEnd, TimeSpan.Zero):O}");
                }
            }
        }

        return result;
    }

    private static InvariantResult LapsesConfirmedOnce(RunLogs logs, RunManifest manifest, List<VipEntrySubscriber> rows)
    {
        var result = new InvariantResult { Name = "every lapse's channel work confirmed exactly once after the drain; never held by two workers at once" };
        var claims = new List<(ClaimRecord Claim, LoggedOp Sweep)>();
        foreach (var sweep in logs.Ops.Where(o => o.Result?.Claims is not null))
        {
            claims.AddRange(sweep.Result!.Claims!.Select(c => (c, sweep)));
        }

        var confirms = logs.Ops.Where(o => o.Op == "ConfirmLapse").ToList();
        // A claim id names a sweep's batch (issue 16: one statement claims a batch), not one lapse: a confirmation is the
        // subscriber's and the claim id's together.
        var confirmedClaims = confirms.Where(o => o.Is("LapseConfirmed")).Select(o => (o.Intent.Subscriber, o.Intent.ClaimId!)).ToHashSet();
        result.Cover("claims", claims.Count);
        result.Cover("claims handed out again after a lease ran out", claims.Count(c => c.Claim.IsRetry));
        result.Cover("claims dropped by crashing workers", claims.Count(c => c.Claim.Dropped));
        result.Cover("confirmations", confirmedClaims.Count);
        result.Cover("entitled again on confirmation", confirms.Count(o => o.Is("EntitledAgain")));
        result.Cover("claims lost on confirmation", confirms.Count(o => o.Is("LapseClaimLost")));
        var lapses = claims.GroupBy(c => (c.Claim.Subscriber, c.Claim.EndedTicks)).ToDictionary(g => g.Key, g => g.ToList());
        result.Cover("lapses", lapses.Count);
        foreach (var ((subscriber, _), held) in lapses)
        {
            var confirmed = held.Count(c => confirmedClaims.Contains((c.Claim.Subscriber, c.Claim.ClaimId)));
            if (confirmed > 1)
            {
                result.Fail($"subscriber {subscriber}: one lapse confirmed {confirmed} times");
            }

            // Two claims on one lapse, the second made while the first one's lease still held: done twice at the same time.
            var ordered = held.OrderBy(c => c.Sweep.R).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var (first, firstSweep) = ordered[i - 1];
                var (second, secondSweep) = ordered[i];
                if (firstSweep.R < secondSweep.I && secondSweep.R < first.LeaseTicks)
                {
                    result.Fail($"subscriber {subscriber}: lapse claimed by {secondSweep.Intent.Worker} while {firstSweep.Intent.Worker}'s lease held");
                }
            }
        }

        if (manifest.DrainedAtTicks == 0)
        {
            result.Fail("the drain never saw a state where nothing is owed");
            return result;
        }

        var drainedAt = new DateTimeOffset(manifest.DrainedAtTicks, TimeSpan.Zero);
        var killedConfirms = confirms.Where(o => o.InFlight).Select(o => o.Intent.Subscriber).ToHashSet();
        foreach (var row in rows.Where(r => r.ExpiresAt <= drainedAt))
        {
            result.Cover("subscriptions ended by the drain");
            if (row.VipEntryLapseHandledAt is null || row.VipEntryLapseClaim is not null)
            {
                result.Fail($"subscriber {row.UserId}: ended at {row.ExpiresAt:O} and still owed after the drain");
                continue;
            }

            var count = lapses.TryGetValue((row.UserId, row.ExpiresAt.UtcTicks), out var held) ? held.Count(c => confirmedClaims.Contains((c.Claim.Subscriber, c.Claim.ClaimId))) : 0;

            // An EndSubscription that lands between a sweep's read and its claim moves the end earlier: the claim then
            // reports the end it read (later than the row's). Its confirmation handled this lapse.
            count += lapses.Where(l => l.Key.Subscriber == row.UserId && l.Key.EndedTicks > row.ExpiresAt.UtcTicks)
                .Sum(l => l.Value.Count(c => confirmedClaims.Contains((c.Claim.Subscriber, c.Claim.ClaimId))));
            if (count == 0 && !killedConfirms.Contains(row.UserId))
            {
                result.Fail($"subscriber {row.UserId}: the lapse of {row.ExpiresAt:O} is marked handled but no logged confirmation did it");
            }
        }

        return result;
    }

    private static InvariantResult NoPaidUpMemberOwing(List<VipEntrySubscriber> rows, DateTimeOffset now)
    {
        var result = new InvariantResult { Name = "no paid-up member left owing a removal" };
        foreach (var row in rows.Where(r => r.ExpiresAt > now))
        {
            result.Cover("paid-up members");
            if (row.VipEntryLapseClaim is not null || row.VipEntryLapseLeaseUntil is not null || row.VipEntryLapseHandledAt is not null)
            {
                result.Fail($"subscriber {row.UserId}: paid up until {row.ExpiresAt:O} yet a lapse is recorded (claim {row.VipEntryLapseClaim is not null}, handled {row.VipEntryLapseHandledAt:O})");
            }
        }

        return result;
    }
}
