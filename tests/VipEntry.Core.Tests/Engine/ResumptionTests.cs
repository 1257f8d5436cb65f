using System.Globalization;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Engine;

public sealed class ResumptionTests
{
    [Theory]
    [InlineData(VipEntryStage.ActivationConfirmation)]
    [InlineData(VipEntryStage.ExpectationAlignment)]
    public async Task R9_A_member_who_comes_back_later_continues_at_the_same_stage_with_the_same_prompt(VipEntryStage stage)
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, stage);
        var before = await host.Engine.GetStepAsync(1, CultureInfo.GetCultureInfo("es"));
        host.Time.Advance(TimeSpan.FromDays(20));

        var after = await host.Engine.GetStepAsync(1, CultureInfo.GetCultureInfo("es"));

        Assert.Equal(VipEntryOutcome.AtStage, after.Result.Outcome);
        Assert.Equal(stage, after.Result.Stage);
        Assert.Equal(before.Prompt.Text, after.Prompt.Text);
        Assert.Equal(before.Prompt.Button!.Payload, after.Prompt.Button!.Payload);
        Assert.Equal(stage, await host.StageAsync(1));
    }

    [Fact]
    public async Task R9_A_member_who_comes_back_at_stage_3_sees_the_same_link()
    {
        await using var host = new TestHost();
        var (link, _) = await host.IssueAsync(1);
        host.Time.Advance(TimeSpan.FromHours(12));

        var step = await host.Engine.GetStepAsync(1);

        Assert.Equal(VipEntryOutcome.AccessShown, step.Result.Outcome);
        Assert.Equal(link, step.Prompt.Button!.Payload);
    }

    [Fact]
    public async Task R9_A_member_who_comes_back_after_the_subscription_ended_is_told_so()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ExpectationAlignment, TimeSpan.FromDays(1));
        host.Time.Advance(TimeSpan.FromDays(5));

        var step = await host.Engine.GetStepAsync(1);

        Assert.Equal(VipEntryOutcome.SubscriptionExpired, step.Result.Outcome);
        Assert.Null(step.Prompt.Button);
    }
}
