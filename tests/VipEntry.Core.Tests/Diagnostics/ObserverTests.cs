using VipEntry.Core.Diagnostics;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Diagnostics;

public sealed class ObserverTests
{
    [Fact]
    public async Task R15_The_host_observes_every_transition_of_a_ritual_in_order()
    {
        await using var host = new TestHost();
        var (_, token) = await host.IssueAsync(1);
        var redeemedAt = host.Now.AddMinutes(3);
        host.Time.Advance(TimeSpan.FromMinutes(3));
        await host.Engine.RedeemTokenAsync(1, token);

        var events = host.Sink.Events.ToList();

        Assert.Equal(
            [
                (VipEntryStage.NotEnrolled, VipEntryTrigger.Activate, VipEntryStage.ActivationConfirmation),
                (VipEntryStage.ActivationConfirmation, VipEntryTrigger.Advance, VipEntryStage.ExpectationAlignment),
                (VipEntryStage.ExpectationAlignment, VipEntryTrigger.Advance, VipEntryStage.AccessDelivery),
                (VipEntryStage.AccessDelivery, VipEntryTrigger.Redeem, VipEntryStage.Completed),
            ],
            events.Select(e => (e.From, e.Trigger, e.To)));
        Assert.All(events, e => Assert.Equal(1, e.SubscriberId));
        Assert.Equal(redeemedAt, events[^1].OccurredAt);
        Assert.All(events, e => Assert.True(VipEntryStateDiagram.IsPermitted(e.From, e.Trigger, e.To)));
    }

    [Fact]
    public async Task R15_A_restart_by_renewal_is_observed()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ExpectationAlignment);

        await host.Engine.ActivateAsync(1, host.Now.AddDays(90));

        var last = host.Sink.Events.Last();
        Assert.Equal((VipEntryStage.ExpectationAlignment, VipEntryTrigger.Renew, VipEntryStage.ActivationConfirmation), (last.From, last.Trigger, last.To));
    }

    [Fact]
    public async Task R15_A_throwing_observer_neither_breaks_the_operation_nor_other_observers()
    {
        await using var host = new TestHost(build: b => b.AddObserver<ThrowingObserver>());
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation);
        host.Logs.Clear();

        var result = await host.Engine.AdvanceAsync(1, VipEntryStage.ActivationConfirmation);

        Assert.Equal(VipEntryOutcome.Advanced, result.Outcome);
        Assert.Equal(VipEntryStage.ExpectationAlignment, await host.StageAsync(1));
        Assert.Contains(host.Sink.Events, e => e.Trigger == VipEntryTrigger.Advance);
        var failure = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == 1010 && r.GetStructuredStateValue("SubscriberId") == "1");
        Assert.Equal(nameof(ThrowingObserver), failure.GetStructuredStateValue("Observer"));
        Assert.IsType<InvalidOperationException>(failure.Exception);
    }
}
