using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Engine;

public sealed class ConcurrencyTests
{
    private const int Racers = 64;

    // Every racer waits on one gate, then all run at once on thread-pool threads, each in its own DI scope.
    private static async Task<VipEntryResult[]> RaceAsync(TestHost host, Func<IVipEntryStateMachine, Task<VipEntryResult>> action)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(0, Racers)
            .Select(_ => Task.Run(async () =>
            {
                await gate.Task;
                return await host.InNewScopeAsync(action);
            }))
            .ToArray();
        gate.SetResult();
        return await Task.WhenAll(racers);
    }

    [Fact]
    public async Task R3_Of_64_concurrent_advances_exactly_one_wins_and_the_rest_are_stale()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation);

        var results = await RaceAsync(host, async e => await e.AdvanceAsync(1, VipEntryStage.ActivationConfirmation));

        Assert.Single(results, r => r.Outcome == VipEntryOutcome.Advanced);
        Assert.Equal(Racers - 1, results.Count(r => r.Outcome == VipEntryOutcome.StaleStage && r.Stage == VipEntryStage.ExpectationAlignment));
        Assert.Equal(VipEntryStage.ExpectationAlignment, await host.StageAsync(1));
        Assert.Single(host.Sink.Events, e => e.Trigger == VipEntryTrigger.Advance);
    }

    [Fact]
    public async Task R5_Of_64_concurrent_deliveries_at_stage_3_exactly_one_issues_a_grant_with_one_issuer_call()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.AccessDelivery);

        var results = await RaceAsync(host, async e => (await e.GetStepAsync(1)).Result);

        var issued = Assert.Single(results, r => r.Outcome == VipEntryOutcome.AccessIssued);
        Assert.Equal(1, host.Issuer!.Calls);
        Assert.All(results.Where(r => r != issued), r => Assert.Contains(r.Outcome, new[] { VipEntryOutcome.AccessShown, VipEntryOutcome.AccessAlreadyDelivered }));
        Assert.All(results.Where(r => r.Access is not null), r => Assert.Equal(issued.Access!.Link, r.Access!.Link));
        Assert.Equal(issued.Access!.Link, (await host.RecordAsync(1))!.GrantLink);
    }

    [Fact]
    public async Task R6_Of_64_concurrent_redemptions_exactly_one_redeems()
    {
        await using var host = new TestHost();
        var (link, token) = await host.IssueAsync(1);

        var results = await RaceAsync(host, async e => await e.RedeemTokenAsync(1, token));

        Assert.Single(results, r => r.Outcome == VipEntryOutcome.Redeemed);
        Assert.All(results.Where(r => r.Outcome != VipEntryOutcome.Redeemed), r => Assert.Equal(VipEntryOutcome.AlreadyCompleted, r.Outcome));
        Assert.Single(host.Sink.Events, e => e.Trigger == VipEntryTrigger.Redeem);
        Assert.Equal(VipEntryOutcome.AlreadyCompleted, (await host.Engine.RedeemLinkAsync(1, link)).Outcome);
    }

    [Fact]
    public async Task R6_Concurrent_redemptions_by_token_and_by_link_complete_once()
    {
        await using var host = new TestHost();
        var (link, token) = await host.IssueAsync(1);
        var i = 0;

        var results = await RaceAsync(host, async e => Interlocked.Increment(ref i) % 2 == 0
            ? await e.RedeemTokenAsync(1, token)
            : await e.RedeemLinkAsync(1, link));

        Assert.Single(results, r => r.Outcome == VipEntryOutcome.Redeemed);
        Assert.Equal(VipEntryStage.Completed, await host.StageAsync(1));
    }

    [Fact]
    public async Task R7_Of_64_concurrent_reissues_of_an_expired_grant_exactly_one_replaces_it()
    {
        await using var host = new TestHost();
        var (oldLink, _) = await host.IssueAsync(1);
        host.Time.Advance(TimeSpan.FromDays(1));

        var results = await RaceAsync(host, async e => await e.ReissueAccessAsync(1));

        var reissued = Assert.Single(results, r => r.Outcome == VipEntryOutcome.AccessReissued);
        Assert.Equal([oldLink], reissued.LinksToRevoke);
        Assert.Equal(2, host.Issuer!.Calls);
        Assert.DoesNotContain(results, r => r.Outcome == VipEntryOutcome.Conflict);
    }

    [Fact]
    public async Task R3_R5_64_concurrent_presses_of_the_stage_2_button_advance_once_and_mint_one_grant()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ExpectationAlignment);
        var data = VipEntry.Core.Messages.VipEntryCallbackData.EncodeAdvance(VipEntryStage.ExpectationAlignment);

        var results = await RaceAsync(host, async e => (await e.HandleCallbackAsync(1, data)).Result);

        // One press advanced (R3) and exactly one grant was minted (R5). Usually the advancing press also delivers it and
        // says AccessIssued; but a stale press that reads stage 3 first may be the one whose step issues it, and then the
        // advancing press shows that same link (Advanced). Either way: one winner, one grant, one link for everyone.
        Assert.Single(results, r => r.Outcome is VipEntryOutcome.AccessIssued or VipEntryOutcome.Advanced);
        Assert.Equal(Racers - 1, results.Count(r => r.Outcome == VipEntryOutcome.StaleStage));
        Assert.Equal(1, host.Issuer!.Calls);
        Assert.Single(results.Where(r => r.Access is not null).Select(r => r.Access!.Link).Distinct(StringComparer.Ordinal));
    }

    [Fact]
    public async Task R6_Concurrent_use_of_a_forwarded_link_never_redeems_for_anyone_but_the_owner()
    {
        await using var host = new TestHost();
        var (link, _) = await host.IssueAsync(1);
        var i = 0;

        var results = await RaceAsync(host, async e =>
        {
            var claimant = Interlocked.Increment(ref i) % 2 == 0 ? 1 : 1000 + i;
            return await e.RedeemLinkAsync(claimant, link);
        });

        var redeemed = Assert.Single(results, r => r.Outcome == VipEntryOutcome.Redeemed);
        Assert.Equal(1, redeemed.SubscriberId);
        Assert.All(results.Where(r => r.SubscriberId != 1), r => Assert.Contains(r.Outcome, new[] { VipEntryOutcome.Refused, VipEntryOutcome.UnknownGrant }));
        Assert.Equal(VipEntryStage.Completed, await host.StageAsync(1));
    }
}
