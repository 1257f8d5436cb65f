using VipEntry.Core.EfCore;
using VipEntry.Load.Checking;
using VipEntry.Load.Logging;
using VipEntry.Load.Storage;

namespace VipEntry.Load.Tests;

/// <summary>
/// The load checker finds what it claims to find: a clean history passes, and each invariant fails on a history with one
/// planted violation, naming the subscriber. (A checker that never fails would prove nothing.)
/// </summary>
public sealed class CheckerTests
{
    private const long Member = 1_000_001;
    private const long Other = 1_000_002;
    private const long Stranger = 9_000_001;
    private const string Hash = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    [Fact]
    public void Issue10_Checker_passes_a_clean_ritual()
    {
        using var run = CleanRitual();
        var summary = run.Check();
        Assert.True(summary.Passed, summary.Describe());
    }

    [Fact]
    public void Issue10_Checker_finds_a_stage_left_twice_without_a_restart()
    {
        using var run = CleanRitual();
        run.Op(30, 31, new LogLine { Op = "Advance", Subscriber = Member, From = 1 }, "Advanced", 2);
        AssertFails(run.Check(), "no stage skipped");
    }

    // The stage-1 button advanced 1 → 2, a concurrent Advance from 2 moved on to 3, and the press's next step delivered the
    // grant: the press reports AccessIssued at stage 3. It is still the entry into stage 2 (found in a scaled PostgreSQL run).
    [Fact]
    public void Issue10_Checker_counts_a_stage_one_press_that_reports_the_grant_as_its_advance()
    {
        using var run = new SyntheticRun();
        run.Seed(Member, endsAt: 1000);
        var press = run.Op(10, 10.6, new LogLine { Op = "HandleCallback", Subscriber = Member, CallbackData = "vipe:1:1" }, "AccessIssued", 3);
        run.Op(10.2, 10.3, new LogLine { Op = "Advance", Mode = "stale", Subscriber = Member, From = 2 }, "Advanced", 3);
        run.Issued(press, 10.5, Member, Hash, "vipload:w0:1");
        run.Op(20, 21, new LogLine { Op = "RedeemLink", Mode = "owner", Subscriber = Member, Claimant = Member, Link = "vipload:w0:1" }, "Redeemed", 4);
        var summary = run.Check();
        Assert.True(summary.Passed, summary.Describe());
        Assert.Equal(1, Invariant(summary, "no stage skipped").Coverage["advances from 1 checked"]);
    }

    [Fact]
    public void Issue10_Checker_finds_stage_one_left_twice_by_a_press_that_reports_the_grant()
    {
        using var run = CleanRitual();
        run.Op(30, 31, new LogLine { Op = "HandleCallback", Subscriber = Member, CallbackData = "vipe:1:1" }, "AccessIssued", 3);
        AssertFails(run.Check(), "no stage skipped");
    }

    [Fact]
    public void Issue10_Checker_finds_an_advance_to_the_wrong_stage()
    {
        using var run = new SyntheticRun();
        run.Seed(Member, endsAt: 1000);
        run.Op(10, 11, new LogLine { Op = "Advance", Subscriber = Member, From = 1 }, "Advanced", 3);
        AssertFails(run.Check(), "no stage skipped");
    }

    [Fact]
    public void Issue10_Checker_finds_a_grant_redeemed_twice()
    {
        using var run = CleanRitual();
        run.Op(30, 31, new LogLine { Op = "RedeemToken", Mode = "replay", Subscriber = Member, Claimant = Member, TokenHash = Hash }, "Redeemed", 4);
        AssertFails(run.Check(), "each grant redeemed at most once");
    }

    [Fact]
    public void Issue10_Checker_finds_a_forwarded_link_that_admitted_someone_else()
    {
        using var run = CleanRitual(redeem: false);
        run.Op(30, 31, new LogLine { Op = "RedeemLink", Mode = "forward", Subscriber = Member, Claimant = Other, Link = "vipload:w0:1" }, "Redeemed", 4);
        AssertFails(run.Check(), "each grant redeemed at most once");
    }

    [Fact]
    public void Issue10_Checker_finds_a_replaced_grant_redeemed()
    {
        using var run = CleanRitual(redeem: false);
        var second = run.Op(25, 26, new LogLine { Op = "ReissueAccess", Subscriber = Member }, "AccessReissued", 3);
        run.Issued(second, 25.5, Member, new string('b', 64), "vipload:w0:2");
        run.Op(30, 31, new LogLine { Op = "RedeemToken", Mode = "owner", Subscriber = Member, Claimant = Member, TokenHash = Hash }, "Redeemed", 4);
        AssertFails(run.Check(), "at most one live grant");
    }

    [Fact]
    public void Issue10_Checker_finds_a_stored_grant_held_by_someone_other_than_its_owner()
    {
        using var run = CleanRitual(redeem: false);
        run.Rows.Add(new VipEntrySubscriber { UserId = Other, ExpiresAt = At(1000), VipEntryStage = 3, VipEntryTokenHash = Hash });
        AssertFails(run.Check(), "at most one live grant");
    }

    [Fact]
    public void Issue10_Checker_finds_a_member_advanced_after_their_subscription_was_ended()
    {
        using var run = new SyntheticRun();
        run.Seed(Member, endsAt: 1000);
        run.Op(10, 11, new LogLine { Op = "EndSubscription", Subscriber = Member }, "SubscriptionEnded", 1);
        run.Op(12, 13, new LogLine { Op = "Advance", Subscriber = Member, From = 1 }, "Advanced", 2);
        AssertFails(run.Check(drainedAt: 5), "no lapsed member");
    }

    [Fact]
    public void Issue10_Checker_accepts_an_advance_after_an_end_when_a_renewal_overlapped()
    {
        using var run = new SyntheticRun();
        run.Seed(Member, endsAt: 1000);
        run.Op(10, 11, new LogLine { Op = "EndSubscription", Subscriber = Member }, "SubscriptionEnded", 1);
        run.Op(11.5, 14, new LogLine { Op = "Activate", Subscriber = Member, End = SyntheticRun.At(1000) }, "Restarted", 1);
        run.Op(12, 13, new LogLine { Op = "Advance", Subscriber = Member, From = 1 }, "Advanced", 2);
        var summary = run.Check(drainedAt: 5);
        Assert.True(Invariant(summary, "no lapsed member").Passed, summary.Describe());
    }

    [Fact]
    public void Issue10_Checker_finds_a_member_admitted_after_their_subscription_ran_out()
    {
        using var run = CleanRitual(redeem: false, endsAt: 28);
        run.Op(30, 31, new LogLine { Op = "RedeemToken", Mode = "owner", Subscriber = Member, Claimant = Member, TokenHash = Hash }, "Redeemed", 4);
        AssertFails(run.Check(drainedAt: 5), "no lapsed member");
    }

    [Fact]
    public void Issue10_Checker_finds_a_lapse_confirmed_twice_and_claimed_under_a_live_lease()
    {
        using var run = new SyntheticRun();
        run.Seed(Member, endsAt: 5);
        run.Rows.Add(new VipEntrySubscriber { UserId = Member, ExpiresAt = At(5), VipEntryLapseHandledAt = At(12) });
        var claim = new ClaimRecord { Subscriber = Member, ClaimId = "c1", EndedTicks = SyntheticRun.At(5), LeaseTicks = SyntheticRun.At(30) };
        var again = new ClaimRecord { Subscriber = Member, ClaimId = "c2", EndedTicks = SyntheticRun.At(5), LeaseTicks = SyntheticRun.At(40) };
        run.Op(10, 10.5, new LogLine { Op = "Sweep" }, "Swept", result: r => r.Claims = [claim]);
        run.Op(11, 12, new LogLine { Op = "ConfirmLapse", Subscriber = Member, ClaimId = "c1" }, "LapseConfirmed", 1);
        run.Op(13, 13.5, new LogLine { Op = "Sweep" }, "Swept", result: r => r.Claims = [again]);
        run.Op(14, 15, new LogLine { Op = "ConfirmLapse", Subscriber = Member, ClaimId = "c2" }, "LapseConfirmed", 1);
        var failed = AssertFails(run.Check(), "every lapse");
        Assert.Contains(failed.Examples, e => e.Contains("confirmed 2 times", StringComparison.Ordinal));
        Assert.Contains(failed.Examples, e => e.Contains("lease held", StringComparison.Ordinal));
    }

    [Fact]
    public void Issue10_Checker_finds_a_lapse_still_owed_after_the_drain_and_a_paid_up_member_owing_a_removal()
    {
        using var run = new SyntheticRun();
        run.Seed(Member, endsAt: 5);
        run.Seed(Other, endsAt: 1000);
        run.Rows.Add(new VipEntrySubscriber { UserId = Member, ExpiresAt = At(5) });
        run.Rows.Add(new VipEntrySubscriber { UserId = Other, ExpiresAt = At(1000), VipEntryLapseClaim = "c9", VipEntryLapseLeaseUntil = At(20) });
        var summary = run.Check();
        AssertFails(summary, "every lapse");
        AssertFails(summary, "no paid-up member");
    }

    // Found in a scaled SQLite run: EndSubscription moved the end earlier after a sweep had read the row, so the claim
    // reports the end it read; its confirmation still handled the lapse the row holds.
    [Fact]
    public void Issue14_Checker_accepts_a_lapse_claimed_with_the_end_an_EndSubscription_moved_earlier()
    {
        using var run = new SyntheticRun();
        run.Seed(Member, endsAt: 20);
        run.Op(10, 19, new LogLine { Op = "EndSubscription", Subscriber = Member }, "SubscriptionEnded", 1);
        run.Rows.Add(new VipEntrySubscriber { UserId = Member, ExpiresAt = At(10.5), VipEntryLapseHandledAt = At(25) });
        var claim = new ClaimRecord { Subscriber = Member, ClaimId = "c1", EndedTicks = SyntheticRun.At(20), LeaseTicks = SyntheticRun.At(40) };
        run.Op(18, 21, new LogLine { Op = "Sweep" }, "Swept", result: r => r.Claims = [claim]);
        run.Op(22, 23, new LogLine { Op = "ConfirmLapse", Subscriber = Member, ClaimId = "c1" }, "LapseConfirmed", 1);
        var summary = run.Check();
        Assert.True(Invariant(summary, "every lapse").Passed, summary.Describe());
    }

    // Issue 16: a sweep claims a batch under one claim id (one statement). Member's claim c1 was dropped by a crash and
    // handed out again as c2; Other's claim in the same batch c1 was confirmed. Each lapse was confirmed once: the claim id
    // is the batch's, a confirmation is the subscriber's and the claim id's together.
    [Fact]
    public void Issue16_Checker_tells_apart_the_lapses_of_one_batch_sharing_a_claim_id()
    {
        using (var run = BatchSharingAClaimId(confirmTwice: false))
        {
            var summary = run.Check();
            Assert.True(Invariant(summary, "every lapse").Passed, summary.Describe());
        }

        // The same member confirmed under both claims is still found.
        using (var run = BatchSharingAClaimId(confirmTwice: true))
        {
            var failed = AssertFails(run.Check(), "every lapse");
            Assert.Contains(failed.Examples, e => e.Contains("confirmed 2 times", StringComparison.Ordinal));
        }
    }

    private static SyntheticRun BatchSharingAClaimId(bool confirmTwice)
    {
        var run = new SyntheticRun();
        run.Seed(Member, endsAt: 5);
        run.Seed(Other, endsAt: 5);
        run.Rows.Add(new VipEntrySubscriber { UserId = Member, ExpiresAt = At(5), VipEntryLapseHandledAt = At(42) });
        run.Rows.Add(new VipEntrySubscriber { UserId = Other, ExpiresAt = At(5), VipEntryLapseHandledAt = At(12) });
        var dropped = new ClaimRecord { Subscriber = Member, ClaimId = "c1", EndedTicks = SyntheticRun.At(5), LeaseTicks = SyntheticRun.At(30), Dropped = true };
        var sibling = new ClaimRecord { Subscriber = Other, ClaimId = "c1", EndedTicks = SyntheticRun.At(5), LeaseTicks = SyntheticRun.At(30) };
        var again = new ClaimRecord { Subscriber = Member, ClaimId = "c2", EndedTicks = SyntheticRun.At(5), LeaseTicks = SyntheticRun.At(60), IsRetry = true };
        run.Op(10, 10.5, new LogLine { Op = "Sweep" }, "Swept", result: r => r.Claims = [dropped, sibling]);
        run.Op(11, 12, new LogLine { Op = "ConfirmLapse", Subscriber = Other, ClaimId = "c1" }, "LapseConfirmed", 1);
        run.Op(31, 31.5, new LogLine { Op = "Sweep" }, "Swept", result: r => r.Claims = [again]);
        run.Op(41, 42, new LogLine { Op = "ConfirmLapse", Subscriber = Member, ClaimId = "c2" }, "LapseConfirmed", 1);
        if (confirmTwice)
        {
            run.Op(43, 44, new LogLine { Op = "ConfirmLapse", Subscriber = Member, ClaimId = "c1" }, "LapseConfirmed", 1);
        }

        return run;
    }

    [Fact]
    public void Issue10_Checker_finds_an_exception_and_a_lost_result_of_a_graceful_worker()
    {
        using var run = new SyntheticRun();
        run.Seed(Member, endsAt: 1000);
        run.Op(10, 11, new LogLine { Op = "GetStep", Subscriber = Member }, "Exception", result: r => r.Error = "Microsoft.Data.Sqlite.SqliteException: SQLite Error 5: 'database is locked'.");
        run.Op(12, null, new LogLine { Op = "Advance", Subscriber = Member, From = 1 }, null);
        var summary = run.Check(drainedAt: 5);
        AssertFails(summary, "no exception");
        AssertFails(summary, "the result counts add up");
    }

    // Issue 14's model chat: a completed member inside, a lapsed one removed and left banned, a stranger removed.
    [Fact]
    public void Issue14_Checker_passes_a_clean_chat_after_the_drain()
    {
        using var run = ChatAfterTheDrain();
        var summary = run.Check();
        Assert.True(summary.Passed, summary.Describe());
        Assert.Equal(1, Invariant(summary, "after the drain nobody is inside").Coverage["inside after the drain"]);
        Assert.Equal(1, Invariant(summary, "after the drain nobody entitled").Coverage["bans standing (on people not paying)"]);
    }

    [Fact]
    public void Issue14_Checker_finds_someone_inside_who_is_not_entitled_after_the_drain()
    {
        foreach (var (who, row) in new (long, VipEntrySubscriber?)[]
        {
            (Other, new VipEntrySubscriber { UserId = Other, ExpiresAt = At(50), VipEntryStage = null }), // completed, lapsed before the drain
            (Other, new VipEntrySubscriber { UserId = Other, ExpiresAt = At(1000), VipEntryStage = 2 }), // paying, mid-ritual
            (Stranger, null), // never a subscriber
        })
        {
            using var run = ChatAfterTheDrain(other: row);
            run.Chat.Single(p => p.UserId == who).Inside = true;
            run.Chat.Single(p => p.UserId == who).Banned = false;
            run.Facts.RemoveAll(f => f.PersonId == who);
            run.Facts.Add(new EngineChannelFact(who, MayBeInside: true, BanMayStand: false));
            var failed = AssertFails(run.Check(), "after the drain nobody is inside");
            Assert.Contains(failed.Examples, e => e.Contains($"subscriber {who}: inside", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Issue14_Checker_finds_a_paying_member_still_banned_after_the_drain()
    {
        // Other renewed (paying, back at stage 1) but the ban a failed removal left was never lifted.
        using var run = ChatAfterTheDrain(other: new VipEntrySubscriber { UserId = Other, ExpiresAt = At(1000), VipEntryStage = 1 });
        var failed = AssertFails(run.Check(), "after the drain nobody entitled");
        Assert.Contains(failed.Examples, e => e.Contains($"subscriber {Other}: banned", StringComparison.Ordinal));
    }

    [Fact]
    public void Issue14_Checker_finds_the_engine_ignorant_of_someone_inside_or_of_a_ban()
    {
        using var run = ChatAfterTheDrain();
        run.Facts.RemoveAll(f => f.PersonId is Member or Other);
        run.Facts.Add(new EngineChannelFact(Member, MayBeInside: false, BanMayStand: false)); // a late "left" report overwrote the join
        run.Facts.Add(new EngineChannelFact(Other, MayBeInside: false, BanMayStand: false)); // the ban is not recorded
        var summary = run.Check();
        var failed = AssertFails(summary, "after the drain the engine's facts cover the chat");
        Assert.Contains(failed.Examples, e => e.Contains($"subscriber {Member}: inside the chat, but the engine records them outside", StringComparison.Ordinal));
        Assert.Contains(failed.Examples, e => e.Contains($"subscriber {Other}: banned, but the engine records no ban", StringComparison.Ordinal));
        Assert.True(Invariant(summary, "after the drain nobody is inside").Passed);
    }

    [Fact]
    public void Issue14_Checker_finds_a_membership_change_never_reported()
    {
        using var run = ChatAfterTheDrain();
        run.Chat.Single(p => p.UserId == Member).Pending = 1;
        AssertFails(run.Check(), "after the drain the engine's facts cover the chat");
    }

    // Member: completed, paying, inside. Other (by default): lapsed at stage 1, removed, a ban left standing (recorded).
    // Stranger: removed, nothing left. Every fact the engine must hold is there.
    private static SyntheticRun ChatAfterTheDrain(VipEntrySubscriber? other = null)
    {
        var run = CleanRitual();
        run.Seed(Other, endsAt: 50);
        run.Rows.Add(new VipEntrySubscriber { UserId = Member, ExpiresAt = At(1000), VipEntryStage = null });
        run.Rows.Add(other ?? new VipEntrySubscriber { UserId = Other, ExpiresAt = At(50), VipEntryStage = 1, VipEntryLapseHandledAt = At(60) });
        if (other is null || other.ExpiresAt <= At(100))
        {
            run.Rows[^1].VipEntryLapseHandledAt = At(60);
            var claim = new ClaimRecord { Subscriber = Other, ClaimId = "c1", EndedTicks = SyntheticRun.At(50), LeaseTicks = SyntheticRun.At(80) };
            run.Op(55, 56, new LogLine { Op = "Sweep" }, "Swept", result: r => r.Claims = [claim]);
            run.Op(57, 58, new LogLine { Op = "ConfirmLapse", Subscriber = Other, ClaimId = "c1" }, "LapseConfirmed", 1);
        }

        run.Chat.Add(new LoadChannelRow { UserId = Member, Inside = true, Version = 1 });
        run.Chat.Add(new LoadChannelRow { UserId = Other, Banned = true, Version = 3 });
        run.Chat.Add(new LoadChannelRow { UserId = Stranger, Version = 2 });
        run.Facts.Add(new EngineChannelFact(Member, MayBeInside: true, BanMayStand: false));
        run.Facts.Add(new EngineChannelFact(Other, MayBeInside: false, BanMayStand: true));
        run.Facts.Add(new EngineChannelFact(Stranger, MayBeInside: false, BanMayStand: false));
        return run;
    }

    private static DateTimeOffset At(double seconds) => new(SyntheticRun.At(seconds), TimeSpan.Zero);

    // Seeded, advanced twice, the grant issued (hash Hash, link vipload:w0:1) and, unless told otherwise, redeemed by its owner.
    private static SyntheticRun CleanRitual(bool redeem = true, double endsAt = 1000)
    {
        var run = new SyntheticRun();
        run.Seed(Member, endsAt);
        run.Op(10, 11, new LogLine { Op = "Advance", Subscriber = Member, From = 1 }, "Advanced", 2);
        run.Op(12, 13, new LogLine { Op = "HandleCallback", Subscriber = Member, CallbackData = "vipe:1:2" }, "AccessIssued", 3);
        var deliver = run.Op(14, 15, new LogLine { Op = "DeliverAccess", Subscriber = Member }, "AccessIssued", 3);
        run.Issued(deliver, 14.5, Member, Hash, "vipload:w0:1");
        if (redeem)
        {
            run.Op(20, 21, new LogLine { Op = "RedeemToken", Mode = "owner", Subscriber = Member, Claimant = Member, TokenHash = Hash }, "Redeemed", 4);
        }

        return run;
    }

    private static InvariantResult Invariant(RunSummary summary, string name) =>
        Assert.Single(summary.Invariants, i => i.Name.StartsWith(name, StringComparison.Ordinal));

    private static InvariantResult AssertFails(RunSummary summary, string name)
    {
        var invariant = Invariant(summary, name);
        Assert.False(invariant.Passed, $"'{name}' should have failed:\n{summary.Describe()}");
        Assert.Contains(invariant.Examples, e => e.Contains("subscriber", StringComparison.Ordinal));
        return invariant;
    }
}
