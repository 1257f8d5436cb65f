using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Engine;

public sealed class RedemptionTests
{
    [Fact]
    public async Task R6_Redeeming_the_token_completes_the_ritual_and_clears_the_token()
    {
        await using var host = new TestHost();
        var (link, token) = await host.IssueAsync(1);

        var result = await host.Engine.RedeemTokenAsync(1, token);

        Assert.Equal(VipEntryOutcome.Redeemed, result.Outcome);
        Assert.Equal(VipEntryStage.Completed, result.Stage);
        Assert.Equal([link], result.LinksToRevoke);
        var record = await host.RecordAsync(1);
        Assert.Equal(VipEntryStage.Completed, record!.Stage);
        Assert.Null(record.GrantTokenHash);
        Assert.Null(record.GrantLink);
        Assert.Null(record.GrantIssuedAt);
    }

    [Fact]
    public async Task R6_Redeeming_the_recorded_link_as_its_owner_completes_the_ritual()
    {
        await using var host = new TestHost();
        var (link, _) = await host.IssueAsync(1);

        var result = await host.Engine.RedeemLinkAsync(1, link);

        Assert.Equal(VipEntryOutcome.Redeemed, result.Outcome);
        Assert.Equal(VipEntryStage.Completed, await host.StageAsync(1));
    }

    [Fact]
    public async Task R6_A_second_redemption_fails()
    {
        await using var host = new TestHost();
        var (link, token) = await host.IssueAsync(1);
        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemTokenAsync(1, token)).Outcome);

        var byToken = await host.Engine.RedeemTokenAsync(1, token);
        var byLink = await host.Engine.RedeemLinkAsync(1, link);

        Assert.Equal(VipEntryOutcome.AlreadyCompleted, byToken.Outcome);
        Assert.Equal(VipEntryOutcome.AlreadyCompleted, byLink.Outcome);
        Assert.False(byToken.Succeeded);
    }

    [Fact]
    public async Task R6_A_forwarded_link_is_refused_and_the_grant_stays_valid_for_its_owner()
    {
        await using var host = new TestHost();
        var (link, token) = await host.IssueAsync(1);
        await host.WalkToAsync(2, VipEntryStage.AccessDelivery);

        var strangerByLink = await host.Engine.RedeemLinkAsync(666, link);
        var otherMemberByToken = await host.Engine.RedeemTokenAsync(2, token);

        Assert.Equal(VipEntryOutcome.Refused, strangerByLink.Outcome);
        Assert.Equal(VipEntryOutcome.Refused, otherMemberByToken.Outcome);
        Assert.Equal(VipEntryStage.AccessDelivery, await host.StageAsync(1));
        Assert.Equal(VipEntryStage.AccessDelivery, await host.StageAsync(2));
        Assert.Null(await host.RecordAsync(666));
        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemLinkAsync(1, link)).Outcome);
    }

    [Fact]
    public async Task R6_A_grant_expires_exactly_one_link_lifetime_after_issue()
    {
        await using var host = new TestHost();
        var (_, token) = await host.IssueAsync(1);
        host.Time.Advance(TimeSpan.FromHours(24));

        var result = await host.Engine.RedeemTokenAsync(1, token);

        Assert.Equal(VipEntryOutcome.LinkExpired, result.Outcome);
        Assert.Equal(VipEntryStage.AccessDelivery, await host.StageAsync(1));
    }

    [Fact]
    public async Task R6_A_grant_is_still_valid_one_tick_before_it_expires()
    {
        await using var host = new TestHost();
        var (_, token) = await host.IssueAsync(1);
        host.Time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromTicks(1));

        var result = await host.Engine.RedeemTokenAsync(1, token);

        Assert.Equal(VipEntryOutcome.Redeemed, result.Outcome);
    }

    [Fact]
    public async Task R6_A_token_that_was_never_issued_is_an_unknown_grant()
    {
        await using var host = new TestHost();
        await host.IssueAsync(1);

        var result = await host.Engine.RedeemTokenAsync(1, new string('A', 64));

        Assert.Equal(VipEntryOutcome.UnknownGrant, result.Outcome);
        Assert.Equal(VipEntryStage.AccessDelivery, await host.StageAsync(1));
    }
}
