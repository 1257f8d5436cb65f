using System.Collections.Concurrent;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tokens;
using VipEntry.Load.Cli;
using VipEntry.Load.Logging;

namespace VipEntry.Load.Workers;

/// <summary>
/// One worker process's load: a channel worker running cycles back to back, and <see cref="LoadOptions.Concurrency"/> loops, each picking a subscriber (a third of the time
/// from a small hot set shared by every process) and playing a short session of a random op mix steered by what it last
/// saw: activate and renew (with retried duplicates), advance with the right and a stale stage, steps, stage 3, reissue,
/// redeem (owner, forwarded, replayed; by token and by link) and join the model chat, re-entry, end of subscription, the owed
/// channel work of one person (the cycles' and these port calls fail by <c>--port-failures</c>; a share of the cycles
/// "crash" before confirming a lapse, <c>--drop-claims</c>),
/// joins by other means (unentitled subscribers, strangers), leaving, an end followed by a renewal racing a cycle, and
/// button presses.
/// </summary>
public sealed class Worker(LoadOptions options, OpRunner ops, GrantBook book)
{
    private static readonly string[] CallbackData = ["vipe:1:1", "vipe:1:2", "vipe:1:n", "vipe:1:r", "vipe:1:3", "vipe:2:1", "vipe:1:", "garbage", ""];

    private readonly ConcurrentDictionary<long, MemberView> _views = new();

    /// <summary>Runs the load until the common deadline, <paramref name="untilTicks"/> in real time (UTC ticks).</summary>
    public async Task RunAsync(long untilTicks)
    {
        var until = new DateTimeOffset(untilTicks, TimeSpan.Zero);
        var loops = Enumerable.Range(0, options.Concurrency)
            .Select(i => Task.Run(() => LoopAsync(new Random(HashCode.Combine(options.Seed, i)), until)))
            .ToList();
        loops.Add(Task.Run(() => CycleLoopAsync(until)));
        await Task.WhenAll(loops).ConfigureAwait(false);
        ops.Log.Write(new LogLine { Kind = "summary", Ticks = options.Clock.GetUtcNow().UtcTicks, Sent = new Dictionary<string, long>(ops.Sent, StringComparer.Ordinal) });
    }

    // The deadline is real time (the run's length is --seconds of wall clock), whatever the virtual clock's scale.
    private async Task LoopAsync(Random random, DateTimeOffset until)
    {
        while (options.Clock.GetRealUtcNow() < until)
        {
            var subscriber = SubscriberIds.Pick(random, options.Subscribers);
            var steps = random.Next(1, 7);
            for (var i = 0; i < steps && options.Clock.GetRealUtcNow() < until; i++)
            {
                await StepAsync(random, subscriber).ConfigureAwait(false);
            }
        }
    }

    // The process's channel worker, as the hosted one runs next to a replica's update handling: a cycle, a short pause, the
    // next (every process runs one, so cycles of several processes overlap, and overlap the loops' renewals and joins).
    private async Task CycleLoopAsync(DateTimeOffset until)
    {
        while (options.Clock.GetRealUtcNow() < until)
        {
            await CycleAsync().ConfigureAwait(false);
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private MemberView View(long subscriber) => _views.GetOrAdd(subscriber, _ => new MemberView());

    private async Task StepAsync(Random random, long subscriber)
    {
        var view = View(subscriber);
        var roll = random.NextDouble();
        if (roll < 0.03)
        {
            await ChannelOps.WorkOnAsync(ops, subscriber).ConfigureAwait(false);
            return;
        }

        if (roll < 0.08 || (view.Stage < 0 && roll < 0.5))
        {
            await StatusAsync(subscriber).ConfigureAwait(false);
            return;
        }

        if (!view.Active || view.Stage == (int)VipEntryStage.NotEnrolled)
        {
            if (roll < 0.6)
            {
                await ActivateAsync(random, subscriber, retry: roll < 0.15).ConfigureAwait(false);
                return;
            }
        }

        switch (view.Stage)
        {
            case 1 or 2 when roll < 0.55:
                await AdvanceAsync(subscriber, (VipEntryStage)view.Stage, "right").ConfigureAwait(false);
                return;
            case 1 or 2 when roll < 0.62:
                await AdvanceAsync(subscriber, StaleStage(random, view.Stage), "stale").ConfigureAwait(false);
                return;
            case 1 or 2 when roll < 0.70:
                await CallbackAsync(subscriber, VipEntryCallbackData.EncodeAdvance((VipEntryStage)view.Stage)).ConfigureAwait(false);
                return;
            case 3 when roll < 0.30:
                await (random.Next(2) == 0 ? GetStepAsync(subscriber) : DeliverAsync(subscriber, "deliver")).ConfigureAwait(false);
                return;
            case 3 when roll < 0.60:
                await RedeemAsync(random, subscriber, book.Latest(subscriber), subscriber, "owner").ConfigureAwait(false);
                return;
            case 3 when roll < 0.66:
                await DeliverAsync(subscriber, "reissue").ConfigureAwait(false);
                return;
            case 3 when roll < 0.70:
                await CallbackAsync(subscriber, VipEntryCallbackData.EncodeRequestNewLink()).ConfigureAwait(false);
                return;
            case 4 when roll < 0.25:
                await DeliverAsync(subscriber, "reentry").ConfigureAwait(false);
                return;
            case 4 when roll < 0.45:
                await RedeemAsync(random, subscriber, book.Latest(subscriber), subscriber, "owner").ConfigureAwait(false);
                return;
            case 4 when roll < 0.53:
                await EndThenRenewAsync(random, subscriber).ConfigureAwait(false);
                return;
            case 4 when roll < 0.58:
                await LeaveAsync(random, subscriber).ConfigureAwait(false);
                return;
            default:
                await OtherAsync(random, subscriber).ConfigureAwait(false);
                return;
        }
    }

    private static VipEntryStage StaleStage(Random random, int stage) => random.Next(3) switch
    {
        0 => stage == 1 ? VipEntryStage.ExpectationAlignment : VipEntryStage.ActivationConfirmation,
        1 => VipEntryStage.AccessDelivery,
        _ => stage == 1 ? VipEntryStage.ExpectationAlignment : VipEntryStage.ActivationConfirmation,
    };

    private async Task OtherAsync(Random random, long subscriber)
    {
        var pick = random.Next(100);
        switch (pick)
        {
            case < 13: await ActivateAsync(random, subscriber, retry: false).ConfigureAwait(false); break;
            case < 18: await ActivateAsync(random, subscriber, retry: true).ConfigureAwait(false); break;
            case < 24: await EndAsync(subscriber).ConfigureAwait(false); break;
            case < 33:
                var recent = book.AnyRecent(random);
                var claimant = recent is null || recent.Owner != subscriber ? subscriber : subscriber + 1;
                await RedeemAsync(random, recent?.Owner ?? subscriber, recent, claimant, "forward").ConfigureAwait(false);
                break;
            case < 38:
                var redeemed = book.AnyRedeemed(random);
                await RedeemAsync(random, redeemed?.Owner ?? subscriber, redeemed, redeemed?.Owner ?? subscriber, "replay").ConfigureAwait(false);
                break;
            case < 45: await CallbackAsync(subscriber, CallbackData[random.Next(CallbackData.Length)]).ConfigureAwait(false); break;
            case < 53: await GetStepAsync(subscriber).ConfigureAwait(false); break;
            case < 59: await DeliverAsync(subscriber, "deliver").ConfigureAwait(false); break;
            case < 64: await DeliverAsync(subscriber, "reissue").ConfigureAwait(false); break;
            case < 70: await DeliverAsync(subscriber, "reentry").ConfigureAwait(false); break;
            case < 77: await AdvanceAsync(subscriber, (VipEntryStage)random.Next(1, 4), "stale").ConfigureAwait(false); break;
            case < 82: await ChannelOps.WorkOnAsync(ops, subscriber).ConfigureAwait(false); break;
            case < 86: await JoinOtherAsync(random, subscriber).ConfigureAwait(false); break;
            case < 89: await LeaveAsync(random, subscriber).ConfigureAwait(false); break;
            case < 91: await EndThenRenewAsync(random, subscriber).ConfigureAwait(false); break;
            default: await StatusAsync(subscriber).ConfigureAwait(false); break;
        }
    }

    private void Saw(long subscriber, VipEntryResult? result)
    {
        if (result is null)
        {
            return;
        }

        var view = View(subscriber);
        view.Stage = (int)result.Stage;
        view.Active = result.Outcome switch
        {
            VipEntryOutcome.SubscriptionExpired or VipEntryOutcome.SubscriptionEnded => false,
            VipEntryOutcome.Started or VipEntryOutcome.Restarted or VipEntryOutcome.Renewed => true,
            _ => view.Active,
        };
        if (result.Access is { CanBeShownAgain: true } access)
        {
            book.Shown(subscriber, access.Link);
        }
    }

    private async Task StatusAsync(long subscriber)
    {
        var status = await ops.RunAsync(
            new LogLine { Op = "GetStatus", Subscriber = subscriber },
            m => m.GetStatusAsync(subscriber).AsTask(),
            (line, s) =>
            {
                line.Outcome = "Status";
                line.Stage = (int)s.Stage;
            }).ConfigureAwait(false);
        if (status is not null)
        {
            var view = View(subscriber);
            view.Stage = (int)status.Stage;
            view.Active = status.IsActive;
        }
    }

    private async Task ActivateAsync(Random random, long subscriber, bool retry)
    {
        var view = View(subscriber);
        // 2 to 40 (or --seconds) real seconds ahead, as virtual time: ends fall within the run whatever the scale.
        var clock = options.Clock;
        var end = retry && view.LastEndTicks > 0
            ? view.LastEndTicks
            : SubscriberIds.EndTicks(random, clock.GetUtcNow(), clock.VirtualSeconds(2), clock.VirtualSeconds(Math.Max(40, options.Seconds)));
        view.LastEndTicks = end;
        if (!retry)
        {
            Saw(subscriber, await ActivateOnceAsync(subscriber, end, "new").ConfigureAwait(false));
            return;
        }

        // A retried payment webhook: the same activation delivered twice, at once.
        var both = await Task.WhenAll(ActivateOnceAsync(subscriber, end, "retry"), ActivateOnceAsync(subscriber, end, "retry")).ConfigureAwait(false);
        Saw(subscriber, both[1]);
    }

    private Task<VipEntryResult?> ActivateOnceAsync(long subscriber, long end, string mode) =>
        ops.RunAsync(
            new LogLine { Op = "Activate", Mode = mode, Subscriber = subscriber, End = end },
            m => m.ActivateAsync(subscriber, new DateTimeOffset(end, TimeSpan.Zero)).AsTask(),
            OpRunner.Describe);

    private async Task AdvanceAsync(long subscriber, VipEntryStage from, string mode) =>
        Saw(subscriber, await ops.RunAsync(
            new LogLine { Op = "Advance", Mode = mode, Subscriber = subscriber, From = (int)from },
            m => m.AdvanceAsync(subscriber, from).AsTask(),
            OpRunner.Describe).ConfigureAwait(false));

    private async Task GetStepAsync(long subscriber)
    {
        var step = await ops.RunAsync(
            new LogLine { Op = "GetStep", Subscriber = subscriber },
            m => m.GetStepAsync(subscriber).AsTask(),
            (line, s) => OpRunner.Describe(line, s.Result)).ConfigureAwait(false);
        Saw(subscriber, step?.Result);
    }

    private async Task DeliverAsync(long subscriber, string mode)
    {
        var (op, call) = mode switch
        {
            "reissue" => ("ReissueAccess", (Func<IVipEntryStateMachine, Task<VipEntryResult>>)(m => m.ReissueAccessAsync(subscriber).AsTask())),
            "reentry" => ("RequestReentry", m => m.RequestReentryAsync(subscriber).AsTask()),
            _ => ("DeliverAccess", m => m.DeliverAccessAsync(subscriber).AsTask()),
        };
        Saw(subscriber, await ops.RunAsync(new LogLine { Op = op, Subscriber = subscriber }, call, OpRunner.Describe).ConfigureAwait(false));
    }

    private async Task CallbackAsync(long subscriber, string data)
    {
        var step = await ops.RunAsync(
            new LogLine { Op = "HandleCallback", Subscriber = subscriber, CallbackData = data },
            m => m.HandleCallbackAsync(subscriber, data).AsTask(),
            (line, s) => OpRunner.Describe(line, s.Result)).ConfigureAwait(false);
        Saw(subscriber, step?.Result);
    }

    private async Task EndAsync(long subscriber) =>
        Saw(subscriber, await ops.RunAsync(
            new LogLine { Op = "EndSubscription", Subscriber = subscriber },
            m => m.EndSubscriptionAsync(subscriber).AsTask(),
            OpRunner.Describe).ConfigureAwait(false));

    // Redeems a grant: by token when this process holds it (half the time, or always when it has no recorded link), else by
    // its recorded link. Without a known grant the owner is shown stage 3 instead, which teaches this process the link.
    private async Task RedeemAsync(Random random, long owner, Grant? grant, long claimant, string mode)
    {
        if (grant is null)
        {
            await DeliverAsync(owner, "deliver").ConfigureAwait(false);
            return;
        }

        VipEntryResult? result;
        if (grant.Token is not null && (grant.Link is null || random.Next(2) == 0))
        {
            _ = AccessToken.TryParse(grant.Token, out var token);
            result = await ops.RunAsync(
                new LogLine { Op = "RedeemToken", Mode = mode, Subscriber = grant.Owner, Claimant = claimant, TokenHash = token.ComputeHash() },
                m => m.RedeemTokenAsync(claimant, grant.Token).AsTask(),
                OpRunner.Describe).ConfigureAwait(false);
        }
        else if (grant.Link is not null)
        {
            result = await ops.RunAsync(
                new LogLine { Op = "RedeemLink", Mode = mode, Subscriber = grant.Owner, Claimant = claimant, Link = grant.Link },
                m => m.RedeemLinkAsync(claimant, grant.Link).AsTask(),
                (line, r) =>
                {
                    OpRunner.Describe(line, r);
                    line.Link = grant.Link;
                }).ConfigureAwait(false);
        }
        else
        {
            return;
        }

        if (result?.Outcome is VipEntryOutcome.Redeemed or VipEntryOutcome.Readmitted)
        {
            book.Redeemed(grant);

            // The transport approves the join request: the member joins (unless a ban stands) and the join is reported.
            await ChannelOps.JoinAsync(ops, claimant, "redeemed").ConfigureAwait(false);
        }

        if (claimant == owner)
        {
            Saw(claimant, result);
        }
    }

    // A channel worker cycle (R17, R19): the same members' renewals, ends and joins run at the same time in other loops.
    private Task<CycleRun?> CycleAsync() => ChannelOps.CycleAsync(ops, "load");

    // Someone gets in by other means (an unentitled subscriber, a stranger): the transport reports them; the worker must remove
    // them (half the time the host asks for it at once, else the next cycle does).
    private async Task JoinOtherAsync(Random random, long subscriber)
    {
        var view = View(subscriber);
        var who = random.Next(2) == 0 && (view.Stage != 4 || !view.Active) ? subscriber : SubscriberIds.Stranger(random);
        if (await ChannelOps.JoinAsync(ops, who, who == subscriber ? "other" : "stranger").ConfigureAwait(false) == ChannelOps.JoinedNotEntitled && random.Next(2) == 0)
        {
            await ChannelOps.WorkOnAsync(ops, who).ConfigureAwait(false);
        }
    }

    private Task<string?> LeaveAsync(Random random, long subscriber) =>
        ChannelOps.LeaveAsync(ops, random.Next(5) == 0 ? SubscriberIds.Stranger(random) : subscriber);

    // A renewal racing the removal of a lapse: the subscription is ended, then the member's channel work (the removal) runs
    // while the member renews and comes straight back (mostly by an admin's skip, else by walking the ritual again): the
    // removal, the ban a failed removal leaves, the renewal and the new entitlement race.
    private async Task EndThenRenewAsync(Random random, long subscriber)
    {
        await EndAsync(subscriber).ConfigureAwait(false);
        var clock = options.Clock;
        var end = SubscriberIds.EndTicks(random, clock.GetUtcNow(), clock.VirtualSeconds(2), clock.VirtualSeconds(Math.Max(40, options.Seconds)));
        View(subscriber).LastEndTicks = end;
        var skip = random.Next(4) != 0;
        await Task.WhenAll(ChannelOps.WorkOnAsync(ops, subscriber), RenewAndComeBackAsync(random, subscriber, end, skip)).ConfigureAwait(false);
    }

    private async Task RenewAndComeBackAsync(Random random, long subscriber, long end, bool skip)
    {
        Saw(subscriber, await ActivateOnceAsync(subscriber, end, "race").ConfigureAwait(false));
        if (skip)
        {
            Saw(subscriber, await ops.RunAsync(
                new LogLine { Op = "Skip", Subscriber = subscriber },
                m => m.SkipAsync(subscriber, "load", "complimentary").AsTask(),
                OpRunner.Describe).ConfigureAwait(false));
            return;
        }

        await AdvanceAsync(subscriber, VipEntryStage.ActivationConfirmation, "right").ConfigureAwait(false);
        await AdvanceAsync(subscriber, VipEntryStage.ExpectationAlignment, "right").ConfigureAwait(false);
        await DeliverAsync(subscriber, "deliver").ConfigureAwait(false);
        await RedeemAsync(random, subscriber, book.Latest(subscriber), subscriber, "owner").ConfigureAwait(false);
    }
}
