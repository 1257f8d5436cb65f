using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Engine;

public sealed class ResultTests
{
    [Fact]
    public async Task R13_Every_situation_of_a_redemption_has_its_own_outcome()
    {
        await using var host = new TestHost();
        var (_, completedToken) = await host.IssueAsync(1);
        await host.Engine.RedeemTokenAsync(1, completedToken);
        var (_, expiredLinkToken) = await host.IssueAsync(2);
        var (_, endedToken) = await host.IssueAsync(3, TimeSpan.FromHours(25));
        var (_, forwardedToken) = await host.IssueAsync(4, TimeSpan.FromDays(30));
        host.Time.Advance(TimeSpan.FromHours(24));
        var (_, liveToken) = await host.IssueAsync(5);
        host.Time.Advance(TimeSpan.FromHours(1));

        var outcomes = new[]
        {
            (await host.Engine.RedeemTokenAsync(1, completedToken)).Outcome,
            (await host.Engine.RedeemTokenAsync(2, expiredLinkToken)).Outcome,
            (await host.Engine.RedeemTokenAsync(3, endedToken)).Outcome,
            (await host.Engine.RedeemTokenAsync(99, forwardedToken)).Outcome,
            (await host.Engine.RedeemTokenAsync(5, "not a token")).Outcome,
            (await host.Engine.RedeemTokenAsync(5, new string('q', 64))).Outcome,
            (await host.Engine.RedeemTokenAsync(5, liveToken)).Outcome,
        };

        Assert.Equal(
            [VipEntryOutcome.AlreadyCompleted, VipEntryOutcome.LinkExpired, VipEntryOutcome.SubscriptionExpired, VipEntryOutcome.Refused,
             VipEntryOutcome.InvalidInput, VipEntryOutcome.UnknownGrant, VipEntryOutcome.Redeemed],
            outcomes);
    }

    [Fact]
    public async Task R13_Completed_and_not_enrolled_are_distinct_values_not_null()
    {
        await using var host = new TestHost();
        var (_, token) = await host.IssueAsync(1);
        await host.Engine.RedeemTokenAsync(1, token);

        var completed = await host.Engine.GetStepAsync(1);
        var stranger = await host.Engine.GetStepAsync(2);

        Assert.Equal((VipEntryOutcome.AlreadyCompleted, VipEntryStage.Completed), (completed.Result.Outcome, completed.Result.Stage));
        Assert.Equal((VipEntryOutcome.NotEnrolled, VipEntryStage.NotEnrolled), (stranger.Result.Outcome, stranger.Result.Stage));
        Assert.NotEqual(completed.Prompt.Text, stranger.Prompt.Text);
    }

    [Fact]
    public async Task R13_Each_operation_reports_what_it_did_for_a_subscriber_who_already_completed()
    {
        await using var host = new TestHost();
        var (_, token) = await host.IssueAsync(1);
        await host.Engine.RedeemTokenAsync(1, token);

        Assert.Equal(VipEntryOutcome.StaleStage, (await host.Engine.AdvanceAsync(1, VipEntryStage.ExpectationAlignment)).Outcome);
        Assert.Equal(VipEntryOutcome.AlreadyCompleted, (await host.Engine.DeliverAccessAsync(1)).Outcome);
        Assert.Equal(VipEntryOutcome.AlreadyCompleted, (await host.Engine.ReissueAccessAsync(1)).Outcome);
        Assert.Equal(VipEntryOutcome.AlreadyCompleted, (await host.Engine.SkipAsync(1, "admin", "again")).Outcome);
        Assert.Equal(VipEntryStage.Completed, await host.StageAsync(1));
    }

    [Theory]
    [InlineData(VipEntryOutcome.Started, true)]
    [InlineData(VipEntryOutcome.Advanced, true)]
    [InlineData(VipEntryOutcome.Redeemed, true)]
    [InlineData(VipEntryOutcome.AccessShown, true)]
    [InlineData(VipEntryOutcome.StaleStage, false)]
    [InlineData(VipEntryOutcome.Refused, false)]
    [InlineData(VipEntryOutcome.InvalidInput, false)]
    [InlineData(VipEntryOutcome.Conflict, false)]
    [InlineData(VipEntryOutcome.AccessAlreadyDelivered, false)]
    public void R13_Succeeded_says_whether_the_operation_did_what_was_asked(VipEntryOutcome outcome, bool succeeded)
    {
        var result = new VipEntryResult { Outcome = outcome, SubscriberId = 1, Stage = VipEntryStage.AccessDelivery };

        Assert.Equal(succeeded, result.Succeeded);
    }
}
