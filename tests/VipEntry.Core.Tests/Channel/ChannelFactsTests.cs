using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Channel;
using VipEntry.Core.Messages;
using VipEntry.Core.Options;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Channel;

/// <summary>
/// R19 through the engine and the one channel worker, over a model chat (who is inside, who is banned). Each defect of
/// issue 14 that lives in the engine or the worker has its regression test here. Times are not whole seconds.
/// </summary>
public sealed class ChannelFactsTests
{
    private static readonly TimeSpan Odd = TimeSpan.FromTicks(12_345_678); // 1.2345678 s
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task R19_A_redemption_records_the_member_inside_and_the_end_of_the_subscription_removes_them()
    {
        await using var host = Host();
        var chat = Chat(host);
        await CompleteAsync(host, 1, TimeSpan.FromDays(30));

        var quiet = await Worker(host).RunOnceAsync();
        Assert.Equal(0, quiet.Removed);
        Assert.True(chat.IsIn(1));
        Assert.True((await Facts(host, 1))!.MayBeInside);

        host.Time.Advance(TimeSpan.FromDays(30) + Odd);
        var cycle = await Worker(host).RunOnceAsync();

        Assert.Equal(1, cycle.Removed);
        Assert.Equal(1, cycle.LapsesConfirmed);
        Assert.False(chat.IsIn(1));
        Assert.False(chat.IsBanned(1));
        Assert.Contains("remove 1 KeepOut", chat.Calls);
        Assert.Contains(chat.Told, t => t.PersonId == 1 && t.Notice == VipEntryNotice.RemovedAfterLapse);
        var facts = (await Facts(host, 1))!;
        Assert.False(facts.MayBeInside);
        Assert.False(facts.BanMayStand);
        Assert.Null(facts.DueAt);
        Assert.Equal(VipEntryLapseState.Handled, (await host.Engine.GetStatusAsync(1)).Lapse);
    }

    [Fact]
    public async Task Issue14_Defect1_A_renewal_over_an_unconfirmed_lapse_claim_does_not_lose_the_removal()
    {
        await using var host = Host();
        var chat = Chat(host);
        await CompleteAsync(host, 1, TimeSpan.FromDays(30));
        host.Time.Advance(TimeSpan.FromDays(30) + Odd);

        // The worker handles the lapse and its removal fails (a ban refused, the worker crashed): the removal stays owed in
        // the channel facts, which is what the lapse's claim alone used to carry.
        chat.FailRemoval.Add(1);
        var failed = await Worker(host).RunOnceAsync();
        Assert.True(failed.Failed > 0);
        Assert.Equal(VipEntryLapseState.Claimed, (await host.Engine.GetStatusAsync(1)).Lapse);
        Assert.True(chat.IsIn(1));
        Assert.True((await Facts(host, 1))!.MayBeInside);

        // They renew before the lease runs out: the ritual restarts, the lapse record is cleared (R17)...
        Assert.Equal(VipEntryOutcome.Restarted, (await host.Engine.ActivateAsync(1, host.Time.GetUtcNow() + TimeSpan.FromDays(30) + Odd)).Outcome);
        chat.FailRemoval.Clear();

        // ...and the new subscription ends with them still at stage 1. Before R19 nothing was owed any more: they stayed
        // inside, unpaid, for good. Now the fact that they may be inside outlives the claim.
        host.Time.Advance(TimeSpan.FromDays(30) + Odd);
        await Worker(host).RunOnceAsync();

        Assert.False(chat.IsIn(1));
        Assert.False(chat.IsBanned(1));
        Assert.False((await Facts(host, 1))!.MayBeInside);
    }

    [Fact]
    public async Task Issue14_Defect1_A_renewed_member_still_inside_is_removed_without_a_ban_while_they_pay()
    {
        await using var host = Host();
        var chat = Chat(host);
        await CompleteAsync(host, 1, TimeSpan.FromDays(30));
        host.Time.Advance(TimeSpan.FromDays(30) + Odd);
        chat.FailRemoval.Add(1);
        await Worker(host).RunOnceAsync();
        await host.Engine.ActivateAsync(1, host.Time.GetUtcNow() + TimeSpan.FromDays(30) + Odd);
        chat.FailRemoval.Clear();

        // The renewal made the facts due at once: the next cycle removes them, never with a ban (they pay), and they
        // walk the ritual again from stage 1 (R2).
        var cycle = await Worker(host).RunOnceAsync();

        Assert.Equal(1, cycle.Removed);
        Assert.Contains("remove 1 WithoutBan", chat.Calls);
        Assert.Single(chat.Calls, c => c == "remove 1 KeepOut"); // only the failed one, before the renewal
        Assert.False(chat.IsIn(1));
        Assert.False(chat.IsBanned(1));
        Assert.Equal(VipEntryStage.ActivationConfirmation, (await host.Engine.GetStatusAsync(1)).Stage);
    }

    [Fact]
    public async Task Issue14_Defect3_An_intruder_whose_removal_left_a_ban_has_it_lifted_once_entitled()
    {
        await using var host = Host();
        var chat = Chat(host);
        chat.Join(7);
        Assert.False(await host.Engine.ReportInsideAsync(7));

        // Ban succeeds, the unban fails: the person is banned, and the worker recorded beforehand that a ban may stand.
        chat.FailUnbanAfterBan = true;
        var first = await Worker(host).WorkOnAsync(7);
        Assert.Equal(1, first.Failed);
        Assert.True(chat.IsBanned(7));
        Assert.True((await Facts(host, 7))!.BanMayStand);

        // They become entitled (an admin's complimentary access): the skip marks the facts due, and the ban is lifted.
        chat.FailUnbanAfterBan = false;
        await host.Engine.ActivateAsync(7, host.Time.GetUtcNow() + TimeSpan.FromDays(30) + Odd);
        Assert.Equal(VipEntryOutcome.Skipped, (await host.Engine.SkipAsync(7, "admin", "complimentary")).Outcome);
        var cycle = await Worker(host).RunOnceAsync();

        Assert.Equal(1, cycle.BansLifted);
        Assert.False(chat.IsBanned(7));
        Assert.False((await Facts(host, 7))!.BanMayStand);
        chat.Join(7);
        Assert.True(chat.IsIn(7));
    }

    [Fact]
    public async Task R19_An_intruder_is_recorded_durably_and_a_fresh_worker_finishes_the_removal_after_the_lease()
    {
        await using var host = Host();
        var chat = Chat(host);
        chat.Join(9);
        Assert.False(await host.Engine.ReportInsideAsync(9));
        chat.FailRemoval.Add(9);
        await using (var crashed = host.CreateScope())
        {
            Assert.Equal(1, (await crashed.ServiceProvider.GetRequiredService<IVipEntryChannelWorker>().WorkOnAsync(9)).Failed);
        }

        // A worker of another scope (another replica, or this one after a restart) holds no memory of it: the store does.
        chat.FailRemoval.Clear();
        await using var fresh = host.CreateScope();
        var worker = fresh.ServiceProvider.GetRequiredService<IVipEntryChannelWorker>();
        Assert.Equal(0, (await worker.RunOnceAsync()).Removed);
        Assert.True(chat.IsIn(9));
        host.Time.Advance(Lease + Odd);
        Assert.Equal(1, (await worker.RunOnceAsync()).Removed);
        Assert.False(chat.IsIn(9));
        Assert.False(chat.IsBanned(9));
    }

    [Fact]
    public async Task R19_A_ban_left_by_a_failed_lapse_removal_is_lifted_when_the_member_pays_again()
    {
        await using var host = Host();
        var chat = Chat(host);
        await CompleteAsync(host, 2, TimeSpan.FromDays(30));
        host.Time.Advance(TimeSpan.FromDays(30) + Odd);
        chat.FailUnbanAfterBan = true;
        await Worker(host).RunOnceAsync();
        Assert.True(chat.IsBanned(2));

        chat.FailUnbanAfterBan = false;
        Assert.Equal(VipEntryOutcome.Restarted, (await host.Engine.ActivateAsync(2, host.Time.GetUtcNow() + TimeSpan.FromDays(30) + Odd)).Outcome);
        await Worker(host).RunOnceAsync();

        Assert.False(chat.IsBanned(2));
        Assert.False(chat.IsIn(2));
        var facts = (await Facts(host, 2))!;
        Assert.False(facts.BanMayStand);
        Assert.False(facts.MayBeInside);
    }

    [Fact]
    public async Task R19_A_renewal_never_cancels_a_removal_still_owed_for_someone_not_entitled_afterwards()
    {
        await using var host = Host();
        var chat = Chat(host);
        await host.Engine.ActivateAsync(5, host.Time.GetUtcNow() + TimeSpan.FromDays(30) + Odd);

        // At stage 1, inside through someone else's means: not entitled, whatever the stage.
        chat.Join(5);
        Assert.False(await host.Engine.ReportInsideAsync(5));
        chat.FailRemoval.Add(5);
        await Worker(host).WorkOnAsync(5);
        Assert.True(chat.IsIn(5));

        Assert.Equal(VipEntryOutcome.Restarted, (await host.Engine.ActivateAsync(5, host.Time.GetUtcNow() + TimeSpan.FromDays(60) + Odd)).Outcome);
        chat.FailRemoval.Clear();
        await Worker(host).RunOnceAsync();

        Assert.False(chat.IsIn(5));
        Assert.False(chat.IsBanned(5));
        Assert.Contains("remove 5 WithoutBan", chat.Calls);
    }

    [Fact]
    public async Task R19_Links_of_grants_that_no_longer_stand_are_revoked_by_the_worker_and_a_failed_revoke_stays_owed()
    {
        await using var host = Host();
        var chat = Chat(host);
        var engine = host.Engine;
        await engine.ActivateAsync(3, host.Time.GetUtcNow() + TimeSpan.FromDays(30) + Odd);
        await engine.AdvanceAsync(3, VipEntryStage.ActivationConfirmation);
        await engine.AdvanceAsync(3, VipEntryStage.ExpectationAlignment);
        var first = (await engine.DeliverAccessAsync(3)).Access!.Link;
        host.Time.Advance(TimeSpan.FromHours(24) + Odd);
        var reissued = await engine.ReissueAccessAsync(3);
        Assert.Equal(VipEntryOutcome.AccessReissued, reissued.Outcome);
        Assert.Equal([first], (await Facts(host, 3))!.LinksToRevoke);

        chat.FailRevoke = true;
        Assert.Equal(1, (await Worker(host).RunOnceAsync()).Failed);
        chat.FailRevoke = false;
        Assert.Equal(0, (await Worker(host).RunOnceAsync()).LinksRevoked);
        host.Time.Advance(Lease + Odd);
        Assert.Equal(1, (await Worker(host).RunOnceAsync()).LinksRevoked);
        Assert.Contains(first, chat.Revoked);
        Assert.Empty((await Facts(host, 3))!.LinksToRevoke);

        // The link that completes the ritual has done its one job: it is owed too, and revoked by the next cycle.
        var second = reissued.Access!.Link;
        Assert.Equal(VipEntryOutcome.Redeemed, (await engine.RedeemLinkAsync(3, second)).Outcome);
        await Worker(host).RunOnceAsync();
        Assert.Contains(second, chat.Revoked);
    }

    [Fact]
    public async Task R19_Two_workers_never_act_on_one_person_at_once_and_each_removal_is_done_once()
    {
        await using var host = Host(o => o.SweepBatchSize = 3);
        var chat = Chat(host);
        for (var id = 1; id <= 12; id++)
        {
            await CompleteAsync(host, id, TimeSpan.FromDays(30));
        }

        host.Time.Advance(TimeSpan.FromDays(30) + Odd);
        chat.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var a = host.CreateScope();
        await using var b = host.CreateScope();
        var runA = Task.Run(async () => await a.ServiceProvider.GetRequiredService<IVipEntryChannelWorker>().RunOnceAsync());
        var runB = Task.Run(async () => await b.ServiceProvider.GetRequiredService<IVipEntryChannelWorker>().RunOnceAsync());
        await Task.Delay(100);
        chat.Hold.SetResult();
        var reports = await Task.WhenAll(runA, runB);

        Assert.False(chat.Overlapped);
        Assert.Equal(12, reports.Sum(r => r.Removed));
        for (var id = 1; id <= 12; id++)
        {
            Assert.Single(chat.Calls, c => c == $"remove {id} KeepOut");
            Assert.False(chat.IsIn(id));
        }
    }

    [Fact]
    public async Task Issue14_Defect9_Reentry_is_minted_only_for_a_member_the_transport_reports_outside_checked_when_they_ask()
    {
        await using var host = Host();
        var chat = Chat(host);
        await CompleteAsync(host, 4, TimeSpan.FromDays(30));
        var issued = host.Issuer!.Calls;

        var inside = await host.Engine.RequestReentryAsync(4);
        Assert.Equal(VipEntryOutcome.AlreadyInside, inside.Outcome);
        Assert.Null(inside.Access);
        Assert.Equal(issued, host.Issuer.Calls);

        chat.Leave(4);
        var outside = await host.Engine.RequestReentryAsync(4);
        Assert.Equal(VipEntryOutcome.AccessIssued, outside.Outcome);
        Assert.NotNull(outside.Access);

        // The member joins with it, then presses a second re-entry button they were sent earlier: nothing new is minted.
        Assert.Equal(VipEntryOutcome.Readmitted, (await host.Engine.RedeemLinkAsync(4, outside.Access!.Link)).Outcome);
        chat.Join(4);
        var again = await host.Engine.HandleCallbackAsync(4, VipEntryCallbackData.EncodeRequestReentry());
        Assert.Equal(VipEntryOutcome.AlreadyInside, again.Result.Outcome);
        Assert.Null(again.Prompt.Button);
        Assert.StartsWith("You are already inside the VIP channel", again.Prompt.Text, StringComparison.Ordinal);
        Assert.Equal(issued + 1, host.Issuer.Calls);
    }

    private static TestHost Host(Action<VipEntryOptions>? configure = null) =>
        new(
            o =>
            {
                o.LapseLease = Lease;
                configure?.Invoke(o);
            },
            build: b => b.UseChannel<ModelChannel>(w => w.Enabled = false, ServiceLifetime.Singleton));

    private static ModelChannel Chat(TestHost host) => (ModelChannel)host.Services.GetRequiredService<IVipEntryChannel>();

    private static IVipEntryChannelWorker Worker(TestHost host) => host.Services.GetRequiredService<IVipEntryChannelWorker>();

    private static ValueTask<VipEntryChannelRecord?> Facts(TestHost host, long personId) =>
        host.Services.GetRequiredService<IVipEntryChannelStore>().FindAsync(VipEntryOptions.DefaultChannelKey, personId);

    // Activate, walk stages 1 and 2, take the link and join with it (the transport admits the member).
    private static async Task CompleteAsync(TestHost host, long id, TimeSpan subscription)
    {
        var engine = host.Engine;
        Assert.Equal(VipEntryOutcome.Started, (await engine.ActivateAsync(id, host.Time.GetUtcNow() + subscription + Odd)).Outcome);
        await engine.AdvanceAsync(id, VipEntryStage.ActivationConfirmation);
        await engine.AdvanceAsync(id, VipEntryStage.ExpectationAlignment);
        var access = (await engine.DeliverAccessAsync(id)).Access!;
        Assert.Equal(VipEntryOutcome.Redeemed, (await engine.RedeemLinkAsync(id, access.Link)).Outcome);
        Chat(host).Join(id);
    }
}
