using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VipEntry.Core.Engine;
using VipEntry.Core.Options;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.SampleBot.Data;
using VipEntry.Core.Telegram;
using VipEntry.Telegram.Testing;

namespace VipEntry.SampleBot.Tests;

/// <summary>
/// Regression tests for the sample's lapse sweep (issue 7): the real bot in Telegram mode, its real <see cref="RitualService"/>
/// and engine on SQLite, the real Telegram.Bot client against the fake Bot API, which fails or holds chosen calls.
/// </summary>
[Collection("SampleBot")]
public sealed class LapseSweepRegressionTests
{
    private const long Member = 42;
    private const long AdminId = TelegramBotHarness.AdminId;
    private const long VipChatId = TelegramBotHarness.VipChatId;

    private static TimeSpan Timeout => TelegramBotHarness.Timeout;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Defect1_the_sample_bans_a_member_who_paid_and_completed__a_renewal_after_a_failed_removal_cancels_it()
    {
        // The old sample queued the failed removal, retried it after the renewal while the member was mid-ritual (so not
        // "entitled"), and the ban landed once they had completed and joined. Now the renewal makes the owed removal one of
        // a payer (no ban), done at once, and the member walks back in.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bot = new TelegramBotHarness(clock);
        await bot.StartAsync();
        await JoinAsync(bot, Member, Assert.Single((await bot.ReachLinkAsync(Member)).Urls));

        // The subscription ends; the sweep's removal fails, so the lapse is not confirmed.
        bot.Api.FailNext("banChatMember", 400, "Bad Request: not enough rights to restrict/unrestrict chat member");
        var before = await bot.SayAsync(AdminId, "/revoke 42");
        await bot.Api.WaitForCallAsync("banChatMember", c => c.Number("user_id") == Member, Timeout, before, includeFailed: true);

        // The worker removes first (R19), then takes the lapse in hand: it stays owed, since the removal failed.
        await bot.WaitForLapseAsync(Member, VipEntryLapseState.Claimed);
        before = await bot.SayAsync(AdminId, "/status 42");
        await bot.ReplyToAsync(AdminId, before, c => c.Text("text")!.Contains("subscription ended", StringComparison.Ordinal) && c.Text("text")!.Contains("lapse in hand", StringComparison.Ordinal));

        // The member renews: they lapsed, so they walk the entry again.
        var code = await bot.NewCodeAsync();
        before = await bot.SayAsync(Member, "/start " + code);
        var renewalSent = before;
        var renewed = await bot.ReplyToAsync(Member, before, c => c.Text("text")!.Contains("Subscription active", StringComparison.Ordinal));
        Assert.Contains("previous subscription had ended", renewed.Text("text"), StringComparison.Ordinal);
        await bot.ReplyToAsync(Member, before, c => c.CallbackData.Contains("vipe:1:1"));

        // The failed claim's lease runs out and the next sweep comes: nothing is owed any more.
        clock.Advance(LapseLease(bot) + TimeSpan.FromMinutes(1));
        Assert.Equal(0, await bot.SweepAsync());

        // The member advances twice and joins; later sweeps leave them alone.
        before = bot.Api.LastSequence;
        await bot.PressAsync(Member, "vipe:1:1");
        await bot.ReplyToAsync(Member, before, c => c.CallbackData.Contains("vipe:1:2"));
        before = bot.Api.LastSequence;
        await bot.PressAsync(Member, "vipe:1:2");
        var fresh = Assert.Single((await bot.ReplyToAsync(Member, before, c => c.Urls.Count == 1)).Urls);
        await JoinAsync(bot, Member, fresh);
        clock.Advance(LapseLease(bot) + TimeSpan.FromMinutes(1));
        Assert.Equal(0, await bot.SweepAsync());

        // The only ban ever attempted is the one that failed before the renewal; the member paid, completed and stays in.
        var bans = bot.Api.Calls("banChatMember").Where(c => c.Number("user_id") == Member).ToList();
        Assert.True(Assert.Single(bans).Failed);

        // Issue 14 (R19): after the renewal the member was still possibly inside and not entitled (stage 1), so the worker
        // removed them, the way a payer is removed: one unbanChatMember without only_if_banned, which never bans. Before
        // R19 nothing removed them; the removal was simply dropped with the lapse.
        var payerRemoval = Assert.Single(bot.Api.Calls("unbanChatMember"), c => c.Number("user_id") == Member && c.Bool("only_if_banned") != true);
        Assert.True(payerRemoval.Sequence > renewalSent);
        Assert.True(payerRemoval.Sequence < bot.Api.Calls("approveChatJoinRequest")[^1].Sequence);
        Assert.DoesNotContain(bot.Api.Calls("sendMessage"), c => c.Number("chat_id") == Member && c.Text("text")!.Contains("was removed", StringComparison.Ordinal));
        var status = await StatusAsync(bot, Member);
        Assert.True(status.IsEntitled);
        Assert.Equal(VipEntryLapseState.None, status.Lapse);
    }

    [Fact]
    public async Task Defect1_the_sample_bans_a_member_who_paid_and_completed__a_ban_that_lands_after_the_renewal_ends_with_a_reentry_link()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bot = new TelegramBotHarness(clock);
        await bot.StartAsync();
        var firstLink = Assert.Single((await bot.ReachLinkAsync(Member)).Urls);
        await JoinAsync(bot, Member, firstLink);

        // Lapse; the first removal fails and is not confirmed.
        bot.Api.FailNext("banChatMember", 400, "Bad Request: not enough rights to restrict/unrestrict chat member");
        var before = await bot.SayAsync(AdminId, "/revoke 42");
        await bot.Api.WaitForCallAsync("banChatMember", c => c.Number("user_id") == Member, Timeout, before, includeFailed: true);
        await bot.WaitForLapseAsync(Member, VipEntryLapseState.Claimed);

        // Its lease runs out; the next sweep (asked for by the admin) hands the lapse out again, and its ban is held in flight.
        clock.Advance(LapseLease(bot) + TimeSpan.FromMinutes(1));
        var gateBefore = bot.Api.LastSequence;
        var gate = bot.Api.Hold("banChatMember");
        before = await bot.SayAsync(AdminId, "/revoke 42");
        await bot.Api.WaitForArrivedAsync("banChatMember", 1, Timeout, gateBefore);
        var inFlight = await bot.Api.WaitForCallAsync("banChatMember", c => c.Number("user_id") == Member, Timeout, before);

        // Meanwhile the member renews (restarted: they had lapsed), advances twice and joins with their fresh link. The
        // link's revocation is owed, and waits for the held removal's worker to let go of the member's channel facts.
        var code = await bot.NewCodeAsync();
        before = await bot.SayAsync(Member, "/start " + code);
        await bot.ReplyToAsync(Member, before, c => c.CallbackData.Contains("vipe:1:1"));
        before = bot.Api.LastSequence;
        await bot.PressAsync(Member, "vipe:1:1");
        await bot.ReplyToAsync(Member, before, c => c.CallbackData.Contains("vipe:1:2"));
        before = bot.Api.LastSequence;
        await bot.PressAsync(Member, "vipe:1:2");
        var ritualLink = Assert.Single((await bot.ReplyToAsync(Member, before, c => c.Urls.Count == 1)).Urls);
        before = bot.Api.LastSequence;
        await bot.SendAsync(TelegramUpdates.JoinRequest(VipChatId, Member, ritualLink));
        await bot.Api.WaitForCallAsync("approveChatJoinRequest", c => c.Number("user_id") == Member, Timeout, before);
        await bot.ReplyToAsync(Member, before, c => c.Text("text")!.Contains("Welcome", StringComparison.Ordinal));
        Assert.True((await StatusAsync(bot, Member)).IsEntitled);

        // Now the ban lands: the member who paid and completed is out of the channel...
        before = bot.Api.LastSequence;
        gate.Release();
        var unban = await bot.Api.WaitForCallAsync("unbanChatMember", c => c.Number("user_id") == Member, Timeout, before);
        Assert.True(unban.Bool("only_if_banned"));
        Assert.False(inFlight.Failed);

        // ...and the worker, whose settlement finds the facts changed under it, knows it removed someone entitled now: it
        // records them outside and sends them a re-entry link of their own (R16, R17, R19). The ritual link is revoked.
        var offer = await bot.ReplyToAsync(Member, before, c => c.Urls.Count == 1);
        Assert.Contains("active again", offer.Text("text"), StringComparison.Ordinal);
        var reentryLink = Assert.Single(offer.Urls);
        Assert.DoesNotContain(reentryLink, new[] { firstLink, ritualLink });
        var invite = Assert.Single(bot.Api.Calls("createChatInviteLink"), c => c.Sequence > before);
        Assert.Contains("42", invite.Text("name"), StringComparison.Ordinal);
        Assert.True(invite.Bool("creates_join_request"));
        Assert.True(unban.Sequence < invite.Sequence && invite.Sequence < offer.Sequence, "ban, then a link is made for them, then sent");
        await bot.Api.WaitForCallAsync("revokeChatInviteLink", c => c.Text("invite_link") == ritualLink, Timeout, before);

        // The link lets them back in (a re-entry: they stay completed), and only them.
        before = bot.Api.LastSequence;
        await bot.SendAsync(TelegramUpdates.JoinRequest(VipChatId, 77, reentryLink));
        await bot.Api.WaitForCallAsync("declineChatJoinRequest", c => c.Number("user_id") == 77, Timeout, before);
        await JoinAsync(bot, Member, reentryLink);
        var status = await StatusAsync(bot, Member);
        Assert.Equal(VipEntryStage.Completed, status.Stage);
        Assert.True(status.IsEntitled);
        Assert.False(status.HasLiveGrant);
        Assert.Equal(VipEntryLapseState.None, status.Lapse);

        // No ban is left on the paying member: every unban after the held ban lifted it (only_if_banned).
        Assert.All(bot.Api.Calls("unbanChatMember").Where(c => c.Sequence > inFlight.Sequence), c => Assert.True(c.Bool("only_if_banned")));
        Assert.Single(bot.Api.Succeeded("banChatMember"));
    }

    [Fact]
    public async Task Defect5_two_bot_instances_sweeping_one_database_at_once_handle_every_lapse_exactly_once()
    {
        // Two instances of the bot (two DI containers, two engines, two DbContexts, two Bot API clients) on one SQLite
        // file, as two processes are; small batches, so each loops many times.
        await using var bot = new TelegramBotHarness(clock: null, "--VipEntry:SweepBatchSize=3");
        using var first = bot.BuildHost();
        using var second = bot.BuildHost();
        await using (var scope = first.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SampleDbContext>().Database.EnsureCreatedAsync(Ct);
        }

        // 36 lapsed members: a third completed (inside the channel), a third at stage 3 with a live link, a third at stage 1.
        var inside = new List<long>();
        var links = new Dictionary<long, string>();
        var atStage1 = new List<long>();
        await using (var scope = first.Services.CreateAsyncScope())
        {
            var machine = scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
            for (long id = 1000; id < 1036; id++)
            {
                Assert.Equal(VipEntryOutcome.Started, (await machine.ActivateAsync(id, DateTimeOffset.UtcNow.AddDays(30), Ct)).Outcome);
                switch (id % 3)
                {
                    case 0:
                        Assert.Equal(VipEntryOutcome.Skipped, (await machine.SkipAsync(id, "test", "a member already inside the channel", Ct)).Outcome);
                        inside.Add(id);
                        break;
                    case 1:
                        await machine.AdvanceAsync(id, VipEntryStage.ActivationConfirmation, Ct);
                        await machine.AdvanceAsync(id, VipEntryStage.ExpectationAlignment, Ct);
                        links[id] = (await machine.GetStepAsync(id, cancellationToken: Ct)).Result.Access!.Link;
                        break;
                    default:
                        atStage1.Add(id);
                        break;
                }

                Assert.Equal(VipEntryOutcome.SubscriptionEnded, (await machine.EndSubscriptionAsync(id, Ct)).Outcome);
            }
        }

        // Both sweep at once. Bans are held until each sweep is removing someone at the same moment: proof that the two
        // really overlap (a sweep waits for its ban before going on, so two held bans come from two sweeps). The second
        // starts once the first holds its first batch, so it cannot lose that whole batch and stop before reaching a ban;
        // after the release both loop over the remaining batches side by side, racing for the same rows.
        var gateBefore = bot.Api.LastSequence;
        var gate = bot.Api.Hold("banChatMember");
        var firstSweep = Task.Run(() => SweepInAsync(first));
        await bot.Api.WaitForArrivedAsync("banChatMember", 1, Timeout, gateBefore);
        var secondSweep = Task.Run(() => SweepInAsync(second));
        await bot.Api.WaitForArrivedAsync("banChatMember", 2, Timeout, gateBefore);
        gate.Release();
        var claimed = await Task.WhenAll(firstSweep, secondSweep);

        // Every lapse was handled and confirmed once in all, and nothing is left owed.
        Assert.Equal(36, claimed.Sum());
        Assert.All(claimed, c => Assert.True(c > 0));
        Assert.Equal(0, await SweepInAsync(first));
        Assert.Equal(0, await SweepInAsync(second));

        // Every member inside was removed (ban + unban) and told so exactly once; every link revoked exactly once; every
        // member was told exactly once; nobody was banned who was not inside.
        var bans = bot.Api.Calls("banChatMember");
        var unbans = bot.Api.Calls("unbanChatMember");
        var revokes = bot.Api.Calls("revokeChatInviteLink");
        var messages = bot.Api.Calls("sendMessage");
        Assert.All(bans.Concat(unbans).Concat(revokes).Concat(messages), c => Assert.False(c.Failed));
        Assert.Equal(inside.Order(), bans.Select(c => c.Number("user_id")!.Value).Order());
        Assert.Equal(inside.Order(), unbans.Select(c => c.Number("user_id")!.Value).Order());
        Assert.Equal(links.Values.Order(StringComparer.Ordinal), revokes.Select(c => c.Text("invite_link")!).Order(StringComparer.Ordinal));
        Assert.Equal(inside.Concat(links.Keys).Concat(atStage1).Order(), messages.Select(c => c.Number("chat_id")!.Value).Order());
        Assert.All(messages.Where(c => inside.Contains(c.Number("chat_id")!.Value)), c => Assert.Contains("was removed", c.Text("text"), StringComparison.Ordinal));
        Assert.All(messages.Where(c => !inside.Contains(c.Number("chat_id")!.Value)), c => Assert.Contains("has ended", c.Text("text"), StringComparison.Ordinal));

        await using var check = second.Services.CreateAsyncScope();
        var engine = check.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
        for (long id = 1000; id < 1036; id++)
        {
            Assert.Equal(VipEntryLapseState.Handled, (await engine.GetStatusAsync(id, Ct)).Lapse);
        }
    }

    [Fact]
    public async Task A_removal_that_failed_is_handed_out_again_after_its_lease_and_never_while_the_first_claim_is_live()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bot = new TelegramBotHarness(clock);
        await bot.StartAsync();
        await JoinAsync(bot, Member, Assert.Single((await bot.ReachLinkAsync(Member)).Urls));

        // Ended through the engine (no /revoke, so the bot's own sweep service stays asleep): the test runs every sweep.
        await using (var scope = bot.Services.CreateAsyncScope())
        {
            Assert.Equal(VipEntryOutcome.SubscriptionEnded, (await scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>().EndSubscriptionAsync(Member, Ct)).Outcome);
        }

        // The first sweep claims the lapse; its ban is in flight, and will fail (the worker "crashes" as far as the lapse goes).
        var gateBefore = bot.Api.LastSequence;
        var gate = bot.Api.Hold("banChatMember");
        bot.Api.FailNext("banChatMember", 400, "Bad Request: not enough rights to restrict/unrestrict chat member");
        var firstSweep = bot.SweepAsync();
        await bot.Api.WaitForArrivedAsync("banChatMember", 1, Timeout, gateBefore);

        // While that removal is in flight, another process's cycle does not touch it (the member's channel facts are held
        // by the first under a lease): no second ban. It may take the lapse itself — the removal is owed in the facts, not
        // in the lapse (R19) — and then tells the member only that the subscription ended, not that they were removed.
        using (var other = bot.BuildHost())
        {
            await SweepInAsync(other);
        }

        Assert.Single(bot.Api.Calls("banChatMember"), c => c.Number("user_id") == Member);
        gate.Release();
        await firstSweep; // its ban failed: the removal stays owed
        await bot.SweepAsync();
        clock.Advance(LapseLease(bot) - TimeSpan.FromSeconds(1));
        await bot.SweepAsync();
        var bans = bot.Api.Calls("banChatMember").Where(c => c.Number("user_id") == Member).ToList();
        Assert.True(Assert.Single(bans).Failed);
        Assert.Empty(bot.Api.Calls("unbanChatMember"));
        Assert.DoesNotContain(bot.Api.Calls("sendMessage"), c => c.Number("chat_id") == Member && c.Text("text")!.Contains("was removed", StringComparison.Ordinal));

        // The lease runs out: the next cycle hands the removal out again and completes it, once.
        clock.Advance(TimeSpan.FromSeconds(2));
        await bot.SweepAsync();
        bans = [.. bot.Api.Calls("banChatMember").Where(c => c.Number("user_id") == Member)];
        Assert.Equal(2, bans.Count);
        Assert.False(bans[1].Failed);
        Assert.True(Assert.Single(bot.Api.Calls("unbanChatMember")).Bool("only_if_banned"));
        Assert.Single(bot.Api.Calls("sendMessage"), c => c.Number("chat_id") == Member && (c.Text("text")!.Contains("was removed", StringComparison.Ordinal) || c.Text("text")!.Contains("has ended", StringComparison.Ordinal)));
        Assert.Equal(VipEntryLapseState.Handled, (await StatusAsync(bot, Member)).Lapse);

        // Done: never handed out again, however long it waits.
        clock.Advance(LapseLease(bot) * 3);
        await bot.SweepAsync();
        Assert.Equal(2, bot.Api.Calls("banChatMember").Count);
    }

    private static async Task JoinAsync(TelegramBotHarness bot, long userId, string link)
    {
        var before = bot.Api.LastSequence;
        await bot.SendAsync(TelegramUpdates.JoinRequest(VipChatId, userId, link));
        await bot.Api.WaitForCallAsync("approveChatJoinRequest", c => c.Number("user_id") == userId, Timeout, before);
        await bot.Api.WaitForCallAsync("revokeChatInviteLink", c => c.Text("invite_link") == link, Timeout, before);
        await bot.ReplyToAsync(userId, before, c => c.Text("text")!.Contains("Welcome", StringComparison.Ordinal));
    }

    private static async Task<VipEntryStatus> StatusAsync(TelegramBotHarness bot, long userId)
    {
        await using var scope = bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>().GetStatusAsync(userId);
    }

    private static TimeSpan LapseLease(TelegramBotHarness bot) =>
        bot.Services.GetRequiredService<IOptions<VipEntryOptions>>().Value.LapseLease;

    private static async Task<int> SweepInAsync(IHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<VipEntry.Core.Channel.IVipEntryChannelWorker>().RunOnceAsync(CancellationToken.None)).LapsesConfirmed;
    }
}
