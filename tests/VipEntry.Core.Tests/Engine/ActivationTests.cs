using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Engine;

public sealed class ActivationTests
{
    [Fact]
    public async Task R1_Activating_a_newcomer_puts_them_at_stage_1()
    {
        await using var host = new TestHost();
        var ends = host.Now.AddDays(30);

        var result = await host.Engine.ActivateAsync(7, ends);

        Assert.Equal(VipEntryOutcome.Started, result.Outcome);
        Assert.Equal(VipEntryStage.ActivationConfirmation, result.Stage);
        var record = await host.RecordAsync(7);
        Assert.NotNull(record);
        Assert.Equal(VipEntryStage.ActivationConfirmation, record.Stage);
        Assert.Equal(ends, record.SubscriptionEndsAt);
        Assert.Null(record.GrantTokenHash);
    }

    [Fact]
    public async Task R1_Activating_with_an_end_already_past_enrolls_nobody()
    {
        await using var host = new TestHost();

        var result = await host.Engine.ActivateAsync(7, host.Now);

        Assert.Equal(VipEntryOutcome.SubscriptionExpired, result.Outcome);
        Assert.Equal(VipEntryStage.NotEnrolled, result.Stage);
        Assert.Null(await host.RecordAsync(7));
    }

    [Fact]
    public async Task R2_Renewing_an_active_completed_subscriber_keeps_them_completed()
    {
        await using var host = new TestHost();
        var (link, token) = await host.IssueAsync(1);
        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemTokenAsync(1, token)).Outcome);
        var newEnd = host.Now.AddDays(60);

        var result = await host.Engine.ActivateAsync(1, newEnd);

        Assert.Equal(VipEntryOutcome.Renewed, result.Outcome);
        Assert.Equal(VipEntryStage.Completed, result.Stage);
        Assert.Empty(result.LinksToRevoke);
        var record = await host.RecordAsync(1);
        Assert.Equal(VipEntryStage.Completed, record!.Stage);
        Assert.Equal(newEnd, record.SubscriptionEndsAt);
        Assert.NotEqual(string.Empty, link);
    }

    [Theory]
    [InlineData(VipEntryStage.ActivationConfirmation)]
    [InlineData(VipEntryStage.ExpectationAlignment)]
    [InlineData(VipEntryStage.AccessDelivery)]
    public async Task R2_Renewing_a_subscriber_mid_ritual_restarts_at_stage_1(VipEntryStage stage)
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, stage);

        var result = await host.Engine.ActivateAsync(1, host.Now.AddDays(60));

        Assert.Equal(VipEntryOutcome.Restarted, result.Outcome);
        Assert.Equal(VipEntryStage.ActivationConfirmation, result.Stage);
        Assert.Equal(VipEntryStage.ActivationConfirmation, await host.StageAsync(1));
    }

    [Fact]
    public async Task R2_Renewal_mid_ritual_revokes_the_live_grant_and_reports_its_link()
    {
        await using var host = new TestHost();
        var (link, token) = await host.IssueAsync(1);

        var result = await host.Engine.ActivateAsync(1, host.Now.AddDays(60));

        Assert.Equal(VipEntryOutcome.Restarted, result.Outcome);
        Assert.Equal([link], result.LinksToRevoke);
        Assert.Null((await host.RecordAsync(1))!.GrantTokenHash);
        Assert.Equal(VipEntryOutcome.UnknownGrant, (await host.Engine.RedeemTokenAsync(1, token)).Outcome);
        Assert.Equal(VipEntryOutcome.UnknownGrant, (await host.Engine.RedeemLinkAsync(1, link)).Outcome);
    }

    [Fact]
    public async Task R2_Renewing_a_lapsed_completed_subscriber_before_any_sweep_restarts_at_stage_1()
    {
        await using var host = new TestHost();
        var (_, token) = await host.IssueAsync(1, TimeSpan.FromDays(2));
        await host.Engine.RedeemTokenAsync(1, token);
        host.Time.Advance(TimeSpan.FromDays(3));

        var result = await host.Engine.ActivateAsync(1, host.Now.AddDays(30));

        Assert.Equal(VipEntryOutcome.Restarted, result.Outcome);
        Assert.Equal(VipEntryStage.ActivationConfirmation, await host.StageAsync(1));
    }

    [Fact]
    public async Task R2_Renewing_a_swept_completed_subscriber_restarts_and_clears_the_lapse_record()
    {
        await using var host = new TestHost();
        var (_, token) = await host.IssueAsync(1, TimeSpan.FromDays(2));
        await host.Engine.RedeemTokenAsync(1, token);
        host.Time.Advance(TimeSpan.FromDays(3));
        var lapse = Assert.Single((await host.Engine.SweepAsync()).Lapses);
        Assert.Equal(VipEntryOutcome.LapseConfirmed, (await host.Engine.ConfirmLapseHandledAsync(lapse)).Outcome);
        Assert.NotNull((await host.RecordAsync(1))!.LapseHandledAt);

        var result = await host.Engine.ActivateAsync(1, host.Now.AddDays(30));

        Assert.Equal(VipEntryOutcome.Restarted, result.Outcome);
        var record = await host.RecordAsync(1);
        Assert.Equal(VipEntryStage.ActivationConfirmation, record!.Stage);
        Assert.Null(record.LapseHandledAt);
        Assert.Null(record.LapseClaimId);
    }

    [Fact]
    public async Task R2_Renewing_with_an_end_already_past_changes_nothing()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ExpectationAlignment);
        var before = await host.RecordAsync(1);

        var result = await host.Engine.ActivateAsync(1, host.Now.AddSeconds(-1));

        Assert.Equal(VipEntryOutcome.SubscriptionExpired, result.Outcome);
        Assert.Equal(VipEntryStage.ExpectationAlignment, result.Stage);
        Assert.Equal(before, await host.RecordAsync(1));
    }

    [Fact]
    public async Task R2_The_same_activation_delivered_twice_is_not_a_renewal_and_changes_nothing()
    {
        await using var host = new TestHost();
        var ends = host.Now.AddDays(30);
        await host.Engine.ActivateAsync(7, ends);
        await host.Engine.AdvanceAsync(7, VipEntryStage.ActivationConfirmation);

        var retried = await host.Engine.ActivateAsync(7, ends);

        Assert.Equal(VipEntryOutcome.AtStage, retried.Outcome);
        Assert.Equal(VipEntryStage.ExpectationAlignment, retried.Stage);
        Assert.Equal(VipEntryStage.ExpectationAlignment, (await host.RecordAsync(7))!.Stage);

        // A different end is a real renewal, and a mid-ritual renewal restarts (R2).
        var renewed = await host.Engine.ActivateAsync(7, ends.AddDays(30));
        Assert.Equal(VipEntryOutcome.Restarted, renewed.Outcome);
    }

    [Fact]
    public async Task R2_A_completed_member_who_renews_after_lapsing_but_before_any_sweep_must_leave_the_channel()
    {
        await using var host = new TestHost();
        var (_, token) = await host.IssueAsync(1, TimeSpan.FromDays(1));
        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemTokenAsync(1, token)).Outcome);
        host.Time.Advance(TimeSpan.FromDays(2)); // lapsed, no sweep yet: still inside the channel

        var renewed = await host.Engine.ActivateAsync(1, host.Now.AddDays(30));

        Assert.Equal(VipEntryOutcome.Restarted, renewed.Outcome);
        Assert.True(renewed.RemoveFromChannel);
        Assert.Equal(VipEntryStage.ActivationConfirmation, renewed.Stage);
    }

    [Fact]
    public async Task R2_Renewals_of_members_who_are_not_inside_the_channel_ask_for_no_removal()
    {
        await using var host = new TestHost();

        // Completed and active: stays completed and inside.
        var (_, token) = await host.IssueAsync(1, TimeSpan.FromDays(1));
        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemTokenAsync(1, token)).Outcome);
        var active = await host.Engine.ActivateAsync(1, host.Now.AddDays(30));
        Assert.Equal(VipEntryOutcome.Renewed, active.Outcome);
        Assert.False(active.RemoveFromChannel);

        // Completed, lapsed and already swept: the sweep reported the removal.
        var (_, token2) = await host.IssueAsync(2, TimeSpan.FromDays(1));
        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemTokenAsync(2, token2)).Outcome);
        host.Time.Advance(TimeSpan.FromDays(2));
        Assert.Contains((await host.Engine.SweepAsync()).Lapses, l => l.SubscriberId == 2 && l.ShouldRemoveFromChannel);
        var swept = await host.Engine.ActivateAsync(2, host.Now.AddDays(30));
        Assert.Equal(VipEntryOutcome.Restarted, swept.Outcome);
        Assert.False(swept.RemoveFromChannel);

        // Mid-ritual: never inside.
        await host.WalkToAsync(3, VipEntryStage.ExpectationAlignment, TimeSpan.FromDays(1));
        var mid = await host.Engine.ActivateAsync(3, host.Now.AddDays(60));
        Assert.Equal(VipEntryOutcome.Restarted, mid.Outcome);
        Assert.False(mid.RemoveFromChannel);
    }
}
