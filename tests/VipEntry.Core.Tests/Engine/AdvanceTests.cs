using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Engine;

public sealed class AdvanceTests
{
    [Fact]
    public async Task R3_Advancing_from_the_shown_stage_moves_to_the_next_one()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation);

        var first = await host.Engine.AdvanceAsync(1, VipEntryStage.ActivationConfirmation);
        var second = await host.Engine.AdvanceAsync(1, VipEntryStage.ExpectationAlignment);

        Assert.Equal((VipEntryOutcome.Advanced, VipEntryStage.ExpectationAlignment), (first.Outcome, first.Stage));
        Assert.Equal((VipEntryOutcome.Advanced, VipEntryStage.AccessDelivery), (second.Outcome, second.Stage));
        Assert.Equal(VipEntryStage.AccessDelivery, await host.StageAsync(1));
    }

    [Fact]
    public async Task R3_Stale_advance_changes_nothing_and_reports_current_stage()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ExpectationAlignment);
        var before = await host.RecordAsync(1);

        var repeated = await host.Engine.AdvanceAsync(1, VipEntryStage.ActivationConfirmation);

        Assert.Equal(VipEntryOutcome.StaleStage, repeated.Outcome);
        Assert.Equal(VipEntryStage.ExpectationAlignment, repeated.Stage);
        Assert.Equal(before, await host.RecordAsync(1));
    }

    [Fact]
    public async Task R3_Double_tapped_callback_advances_once()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation);
        var data = VipEntryCallbackData.EncodeAdvance(VipEntryStage.ActivationConfirmation);

        var first = await host.Engine.HandleCallbackAsync(1, data);
        var second = await host.Engine.HandleCallbackAsync(1, data);

        Assert.Equal(VipEntryOutcome.Advanced, first.Result.Outcome);
        Assert.Equal(VipEntryOutcome.StaleStage, second.Result.Outcome);
        Assert.Equal(VipEntryStage.ExpectationAlignment, second.Result.Stage);
        Assert.Equal(VipEntryCallbackData.EncodeAdvance(VipEntryStage.ExpectationAlignment), second.Prompt.Button!.Payload);
        Assert.Equal(VipEntryStage.ExpectationAlignment, await host.StageAsync(1));
    }

    [Fact]
    public async Task R3_Advancing_a_subscriber_who_is_not_enrolled_reports_not_enrolled()
    {
        await using var host = new TestHost();

        var result = await host.Engine.AdvanceAsync(99, VipEntryStage.ActivationConfirmation);

        Assert.Equal(VipEntryOutcome.NotEnrolled, result.Outcome);
        Assert.Null(await host.RecordAsync(99));
    }

    [Fact]
    public async Task R4_Advancing_from_stage_2_while_at_stage_1_cannot_skip_a_stage()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation);

        var result = await host.Engine.AdvanceAsync(1, VipEntryStage.ExpectationAlignment);

        Assert.Equal(VipEntryOutcome.StaleStage, result.Outcome);
        Assert.Equal(VipEntryStage.ActivationConfirmation, await host.StageAsync(1));
    }

    [Theory]
    [InlineData(VipEntryStage.ActivationConfirmation)]
    [InlineData(VipEntryStage.ExpectationAlignment)]
    public async Task R4_Access_cannot_be_delivered_before_stage_3(VipEntryStage stage)
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, stage);

        var delivered = await host.Engine.DeliverAccessAsync(1);
        var reissued = await host.Engine.ReissueAccessAsync(1);

        Assert.Equal(VipEntryOutcome.WrongStage, delivered.Outcome);
        Assert.Equal(VipEntryOutcome.WrongStage, reissued.Outcome);
        Assert.Null(delivered.Access);
        Assert.Equal(0, host.Issuer!.Calls);
        Assert.Equal(stage, await host.StageAsync(1));
    }

    [Fact]
    public async Task R4_Completion_cannot_be_reached_by_advancing_from_stage_3()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.AccessDelivery);

        var result = await host.Engine.AdvanceAsync(1, VipEntryStage.AccessDelivery);

        Assert.Equal(VipEntryOutcome.InvalidInput, result.Outcome);
        Assert.Equal(VipEntryStage.AccessDelivery, await host.StageAsync(1));
    }

    [Fact]
    public async Task R4_Administrative_skip_is_the_only_shortcut_and_is_logged_with_actor_and_reason()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation);

        var result = await host.Engine.SkipAsync(1, "admin:42", "complimentary access");

        Assert.Equal(VipEntryOutcome.Skipped, result.Outcome);
        Assert.Equal(VipEntryStage.Completed, await host.StageAsync(1));
        var log = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == 1008);
        Assert.Equal("admin:42", log.GetStructuredStateValue("Actor"));
        Assert.Equal("complimentary access", log.GetStructuredStateValue("Reason"));
        Assert.Contains(host.Sink.Events, e => e.Trigger == VipEntryTrigger.AdministrativeSkip && e.From == VipEntryStage.ActivationConfirmation && e.To == VipEntryStage.Completed);
    }

    [Fact]
    public async Task R4_Administrative_skip_at_stage_3_revokes_the_grant()
    {
        await using var host = new TestHost();
        var (link, token) = await host.IssueAsync(1);

        var result = await host.Engine.SkipAsync(1, "admin", "support ticket");

        Assert.Equal(VipEntryOutcome.Skipped, result.Outcome);
        Assert.Equal([link], result.LinksToRevoke);
        Assert.Equal(VipEntryOutcome.AlreadyCompleted, (await host.Engine.RedeemTokenAsync(1, token)).Outcome);
    }
}
