using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Engine;

public sealed class ReissueTests
{
    [Fact]
    public async Task R7_An_expired_grant_is_reported_and_can_be_replaced()
    {
        await using var host = new TestHost();
        var (oldLink, oldToken) = await host.IssueAsync(1);
        host.Time.Advance(TimeSpan.FromHours(25));

        var step = await host.Engine.GetStepAsync(1);
        Assert.Equal(VipEntryOutcome.LinkExpired, step.Result.Outcome);
        Assert.Equal(VipEntryButtonKind.RequestNewLink, step.Prompt.Button!.Kind);

        var pressed = await host.Engine.HandleCallbackAsync(1, step.Prompt.Button.Payload);

        Assert.Equal(VipEntryOutcome.AccessReissued, pressed.Result.Outcome);
        Assert.Equal([oldLink], pressed.Result.LinksToRevoke);
        Assert.NotEqual(oldLink, pressed.Result.Access!.Link);
        Assert.Equal(host.Now.AddHours(24), pressed.Result.Access.ExpiresAt);
        Assert.Equal(2, host.Issuer!.Calls);
    }

    [Fact]
    public async Task R7_The_replaced_token_and_link_can_never_be_redeemed_again()
    {
        await using var host = new TestHost();
        var (oldLink, oldToken) = await host.IssueAsync(1);
        host.Time.Advance(TimeSpan.FromHours(25));
        var reissued = await host.Engine.ReissueAccessAsync(1);
        var newLink = reissued.Access!.Link;

        Assert.Equal(VipEntryOutcome.UnknownGrant, (await host.Engine.RedeemTokenAsync(1, oldToken)).Outcome);
        Assert.Equal(VipEntryOutcome.UnknownGrant, (await host.Engine.RedeemLinkAsync(1, oldLink)).Outcome);
        Assert.Equal(VipEntryStage.AccessDelivery, await host.StageAsync(1));
        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemTokenAsync(1, host.Issuer!.TokenByLink[newLink])).Outcome);
    }

    [Fact]
    public async Task R7_Reissue_inside_the_cooldown_is_refused_and_allowed_after_it()
    {
        await using var host = new TestHost(o => o.ReissueCooldown = TimeSpan.FromMinutes(10), tokenLinks: true);
        var (_, firstToken) = await host.IssueAsync(1);
        host.Time.Advance(TimeSpan.FromMinutes(9));

        var tooSoon = await host.Engine.ReissueAccessAsync(1);

        Assert.Equal(VipEntryOutcome.ReissueTooSoon, tooSoon.Outcome);
        Assert.Null(tooSoon.Access);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var replaced = await host.Engine.ReissueAccessAsync(1);
        Assert.Equal(VipEntryOutcome.AccessReissued, replaced.Outcome);
        Assert.NotEqual(firstToken, replaced.Access!.Link);
        Assert.Equal(VipEntryOutcome.UnknownGrant, (await host.Engine.RedeemTokenAsync(1, firstToken)).Outcome);
        Assert.Equal(VipEntryOutcome.ReissueTooSoon, (await host.Engine.ReissueAccessAsync(1)).Outcome);
    }

    [Fact]
    public async Task R7_Delivering_an_expired_grant_does_not_replace_it_silently()
    {
        await using var host = new TestHost();
        await host.IssueAsync(1);
        host.Time.Advance(TimeSpan.FromDays(2));

        var result = await host.Engine.DeliverAccessAsync(1);

        Assert.Equal(VipEntryOutcome.LinkExpired, result.Outcome);
        Assert.Equal(1, host.Issuer!.Calls);
    }
}
