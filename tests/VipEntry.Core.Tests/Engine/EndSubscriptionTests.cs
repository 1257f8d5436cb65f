using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Engine;

public sealed class EndSubscriptionTests
{
    [Fact]
    public async Task R8_Ending_a_subscription_now_blocks_redeeming_the_live_grant_and_the_next_sweep_reports_it_once()
    {
        await using var host = new TestHost();
        var (link, token) = await host.IssueAsync(1, TimeSpan.FromDays(30));

        var ended = await host.Engine.EndSubscriptionAsync(1);

        Assert.Equal(VipEntryOutcome.SubscriptionEnded, ended.Outcome);
        Assert.True(ended.Succeeded);
        Assert.Equal(VipEntryStage.AccessDelivery, ended.Stage);
        Assert.Equal(host.Now, (await host.RecordAsync(1))!.SubscriptionEndsAt);
        Assert.Equal(VipEntryOutcome.SubscriptionExpired, (await host.Engine.RedeemTokenAsync(1, token)).Outcome);

        var sweep = await host.Engine.SweepAsync();
        var lapse = Assert.Single(sweep.Lapses);
        Assert.Equal(1, lapse.SubscriberId);
        Assert.Equal(link, lapse.LinkToRevoke);
        Assert.Empty((await host.Engine.SweepAsync()).Lapses);
    }

    [Fact]
    public async Task R8_Ending_a_completed_subscription_reports_the_member_for_removal()
    {
        await using var host = new TestHost();
        var (_, token) = await host.IssueAsync(1, TimeSpan.FromDays(30));
        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemTokenAsync(1, token)).Outcome);

        Assert.Equal(VipEntryOutcome.SubscriptionEnded, (await host.Engine.EndSubscriptionAsync(1)).Outcome);

        var lapse = Assert.Single((await host.Engine.SweepAsync()).Lapses);
        Assert.True(lapse.ShouldRemoveFromChannel);
    }

    [Fact]
    public async Task R13_Ending_twice_or_ending_an_unknown_subscriber_says_so_and_changes_nothing()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ExpectationAlignment, TimeSpan.FromDays(30));
        Assert.Equal(VipEntryOutcome.SubscriptionEnded, (await host.Engine.EndSubscriptionAsync(1)).Outcome);
        var endedAt = (await host.RecordAsync(1))!.SubscriptionEndsAt;
        host.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(VipEntryOutcome.SubscriptionExpired, (await host.Engine.EndSubscriptionAsync(1)).Outcome);
        Assert.Equal(endedAt, (await host.RecordAsync(1))!.SubscriptionEndsAt);
        Assert.Equal(VipEntryOutcome.NotEnrolled, (await host.Engine.EndSubscriptionAsync(99)).Outcome);
    }
}
