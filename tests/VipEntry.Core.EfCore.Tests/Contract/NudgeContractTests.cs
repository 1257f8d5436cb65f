using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Engine;
using VipEntry.Core.Options;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;

namespace VipEntry.Core.EfCore.Tests.Contract;

/// <summary>
/// R18 on every store: members idle at a stage and unused grants about to expire are handed out at most once per stage
/// visit and once per grant, across concurrent callers. Times are not whole seconds.
/// </summary>
public abstract class NudgeContractTests<TBackend>(TBackend backend) : StoreTestBase<TBackend>(backend)
    where TBackend : StoreBackend
{
    private static readonly TimeSpan IdleAfter = TimeSpan.FromHours(1);
    private static readonly TimeSpan Window = TimeSpan.FromHours(2);
    private static readonly TimeSpan Odd = TimeSpan.FromTicks(7_654_321);

    protected override void Configure(VipEntryOptions options)
    {
        options.NudgeIdleAfter = IdleAfter;
        options.NudgeBeforeExpiry = Window;
        options.SweepBatchSize = 4;
    }

    private async Task<List<VipEntryNudge>> ClaimAllAsync(IVipEntryStateMachine? machine = null)
    {
        machine ??= Machine();
        var all = new List<VipEntryNudge>();
        VipEntryNudgeBatch batch;
        do
        {
            batch = await machine.ClaimNudgesAsync();
            all.AddRange(batch.Nudges);
        }
        while (batch.HasMore);
        return all;
    }

    [Fact]
    public async Task R18_a_member_idle_at_a_stage_is_nudged_once_per_stage_visit()
    {
        await EnrollAsync(1);
        Clock.Advance(Odd);

        // Enrolled without a known entry time: the first pass starts the clock and hands out nothing.
        Assert.Empty(await ClaimAllAsync());
        var clockStarted = VipEntryStateMachine.ToStorePrecision(Now);
        Assert.Equal(clockStarted, (await GetAsync(1)).StageEnteredAt);
        Clock.Advance(IdleAfter - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await ClaimAllAsync());
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var first = Assert.Single(await ClaimAllAsync());
        Assert.Equal(VipEntryNudgeKind.IdleAtStage, first.Kind);
        Assert.Equal(VipEntryStage.ActivationConfirmation, first.Stage);
        Assert.Equal(clockStarted, first.IdleSince);
        Clock.Advance(IdleAfter * 5);
        Assert.Empty(await ClaimAllAsync()); // once per stage visit

        // A new stage is a new visit, with its clock started by the advance itself.
        Assert.Equal(VipEntryOutcome.Advanced, (await Machine().AdvanceAsync(1, VipEntryStage.ActivationConfirmation)).Outcome);
        var advancedAt = VipEntryStateMachine.ToStorePrecision(Now);
        Clock.Advance(IdleAfter + Odd);
        var second = Assert.Single(await ClaimAllAsync());
        Assert.Equal(VipEntryStage.ExpectationAlignment, second.Stage);
        Assert.Equal(advancedAt, second.IdleSince);
        Assert.Empty(await ClaimAllAsync());
    }

    [Fact]
    public async Task Issue15_an_activation_and_a_restart_start_the_stage1_clock_in_their_own_statement_so_the_first_pass_reminds()
    {
        var activatedAt = VipEntryStateMachine.ToStorePrecision(Now);
        var activated = (await Machine().ActivateAsync(1, Now.AddDays(30))).Outcome;
        if (Backend.CanCreate)
        {
            Assert.Equal(VipEntryOutcome.Started, activated);
            Assert.Equal(activatedAt, (await GetAsync(1)).StageEnteredAt);
            Assert.Equal(1, (await Machine().ActivateManyAsync([new(5, Now.AddDays(30))])).Count(VipEntryOutcome.Started));
            Assert.Equal(activatedAt, (await GetAsync(5)).StageEnteredAt);

            // One interval after the activation the first pass reminds them: it does not only start the clock.
            Clock.Advance(IdleAfter + Odd);
            var nudges = await ClaimAllAsync();
            Assert.Equal([1L, 5L], nudges.Select(n => n.SubscriberId).Order());
            Assert.All(nudges, n => Assert.Equal(activatedAt, n.IdleSince));
        }
        else
        {
            Assert.Equal(VipEntryOutcome.NotEnrolled, activated); // the host inserts its rows; the restart below starts the clock
            await EnrollAsync(1);
        }

        // A lapse mid-ritual, then a renewal: the restart writes the new visit's entry time itself.
        Assert.Equal(VipEntryOutcome.Advanced, (await Machine().AdvanceAsync(1, VipEntryStage.ActivationConfirmation)).Outcome);
        await Machine().EndSubscriptionAsync(1);
        Clock.Advance(Odd);
        var restartedAt = VipEntryStateMachine.ToStorePrecision(Now);
        Assert.Equal(VipEntryOutcome.Restarted, (await Machine().ActivateAsync(1, Now.AddDays(30))).Outcome);
        Assert.Equal(restartedAt, (await GetAsync(1)).StageEnteredAt);
        Clock.Advance(IdleAfter);
        var again = Assert.Single(await ClaimAllAsync(), n => n.SubscriberId == 1);
        Assert.Equal(VipEntryStage.ActivationConfirmation, again.Stage);
        Assert.Equal(restartedAt, again.IdleSince);
    }

    [Fact]
    public async Task R18_a_restart_begins_a_new_stage_visit_and_completed_or_lapsed_members_are_never_nudged()
    {
        await EnrollAsync(1);
        Assert.Equal(VipEntryOutcome.Advanced, (await Machine().AdvanceAsync(1, VipEntryStage.ActivationConfirmation)).Outcome);
        await EnrollAsync(2);
        Assert.Equal(VipEntryOutcome.Skipped, (await Machine().SkipAsync(2, "admin", "comp")).Outcome);
        await EnrollAsync(3, IdleAfter / 2);
        Clock.Advance(IdleAfter + Odd);
        Assert.Equal([1L], (await ClaimAllAsync()).Select(n => n.SubscriberId)); // 2 completed, 3 ended (and 3's clock never started)

        Assert.Equal(VipEntryOutcome.Restarted, (await Machine().ActivateAsync(1, Now.AddDays(90))).Outcome);
        Assert.Null((await GetAsync(1)).StageNudgedAt);
        Assert.Empty(await ClaimAllAsync()); // the restart's clock starts now
        Clock.Advance(IdleAfter);
        var again = Assert.Single(await ClaimAllAsync());
        Assert.Equal(1, again.SubscriberId);
        Assert.Equal(VipEntryStage.ActivationConfirmation, again.Stage);
    }

    [Fact]
    public async Task R18_an_unused_grant_that_expires_soon_is_reminded_once_per_grant()
    {
        Links.Mode = TestLinkMode.Recorded;
        await EnrollAtStage3Async(1);
        Clock.Advance(Odd);
        var access = (await Machine().DeliverAccessAsync(1)).Access!;
        var reminderFrom = access.ExpiresAt - Window;

        Clock.SetUtcNow(reminderFrom - TimeSpan.FromMilliseconds(1));
        Assert.DoesNotContain(await ClaimAllAsync(), n => n.Kind == VipEntryNudgeKind.GrantExpiringSoon);
        Clock.SetUtcNow(reminderFrom);
        var reminder = Assert.Single(await ClaimAllAsync(), n => n.Kind == VipEntryNudgeKind.GrantExpiringSoon);
        Assert.Equal(1, reminder.SubscriberId);
        Assert.Equal(access.ExpiresAt, reminder.GrantExpiresAt);
        Assert.DoesNotContain(await ClaimAllAsync(), n => n.Kind == VipEntryNudgeKind.GrantExpiringSoon);

        // A new grant is a new reminder; an expired one is not reminded at all.
        Clock.SetUtcNow(access.ExpiresAt + Odd);
        Assert.DoesNotContain(await ClaimAllAsync(), n => n.Kind == VipEntryNudgeKind.GrantExpiringSoon);
        var replaced = (await Machine().ReissueAccessAsync(1)).Access!;
        Clock.SetUtcNow(replaced.ExpiresAt - Window + Odd);
        Assert.Single(await ClaimAllAsync(), n => n.Kind == VipEntryNudgeKind.GrantExpiringSoon);
    }

    [Fact]
    public async Task R18_a_used_grant_is_not_reminded()
    {
        Links.Mode = TestLinkMode.Recorded;
        await EnrollAtStage3Async(1);
        var access = (await Machine().DeliverAccessAsync(1)).Access!;
        Assert.Equal(VipEntryOutcome.Redeemed, (await Machine().RedeemLinkAsync(1, access.Link)).Outcome);
        Clock.SetUtcNow(access.ExpiresAt - Window + Odd);
        Assert.Empty(await ClaimAllAsync());
    }

    [Fact]
    public async Task R18_concurrent_passes_hand_each_member_out_exactly_once()
    {
        const int members = 10;
        for (var id = 1; id <= members; id++)
        {
            await EnrollAsync(id);
            Assert.Equal(VipEntryOutcome.Advanced, (await Machine().AdvanceAsync(id, VipEntryStage.ActivationConfirmation)).Outcome);
        }

        Clock.Advance(IdleAfter + Odd);
        var scopes = Enumerable.Range(0, 6).Select(_ => NewScope()).ToArray();
        foreach (var scope in scopes)
        {
            await Backend.WarmUpAsync(scope);
        }

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var passes = scopes.Select(scope => Task.Run(async () =>
        {
            await gate.Task;
            return await ClaimAllAsync(scope.GetRequiredService<IVipEntryStateMachine>());
        })).ToArray();
        gate.SetResult();
        var all = (await Task.WhenAll(passes)).SelectMany(n => n).ToList();
        Backend.ReleaseConnections();

        Assert.Equal(Enumerable.Range(1, members).Select(i => (long)i), all.Select(n => n.SubscriberId).Order());
        Assert.Empty(await ClaimAllAsync());
    }
}
