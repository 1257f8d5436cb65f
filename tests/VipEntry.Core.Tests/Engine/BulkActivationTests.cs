using System.Globalization;
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Engine;

public sealed class BulkActivationTests
{
    [Fact]
    public async Task Bulk_activation_starts_newcomers_and_notifies_each_as_activate_does()
    {
        await using var host = new TestHost();
        var ends = host.Now.AddDays(30);

        var result = await host.Engine.ActivateManyAsync([new(1, ends), new(2, ends), new(3, host.Now)]);

        Assert.Equal(2, result.Count(VipEntryOutcome.Started));
        Assert.Equal(1, result.Count(VipEntryOutcome.SubscriptionExpired));
        Assert.Equal(3, result.Total);
        Assert.Equal(VipEntryStage.ActivationConfirmation, await host.StageAsync(1));
        Assert.Equal(VipEntryStage.NotEnrolled, await host.StageAsync(3));
        Assert.Equal([1L, 2L], host.Sink.Events.Where(e => e.Trigger == VipEntryTrigger.Activate).Select(e => e.SubscriberId).Order());
    }

    [Fact]
    public async Task A_member_listed_twice_is_activated_twice_in_order()
    {
        await using var host = new TestHost();
        var ends = host.Now.AddDays(30);

        var result = await host.Engine.ActivateManyAsync([new(1, ends), new(1, ends), new(1, ends.AddDays(30))]);

        Assert.Equal(1, result.Count(VipEntryOutcome.Started));
        Assert.Equal(1, result.Count(VipEntryOutcome.AtStage));
        Assert.Equal(1, result.Count(VipEntryOutcome.Restarted));
        Assert.Equal(ends.AddDays(30), (await host.RecordAsync(1))!.SubscriptionEndsAt);
    }

    [Fact]
    public async Task Bulk_renewal_of_a_completed_lapsed_member_restarts_and_asks_for_removal()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.AccessDelivery, TimeSpan.FromDays(1));
        Assert.Equal(VipEntryOutcome.Skipped, (await host.Engine.SkipAsync(1, "admin", "test")).Outcome);
        host.Time.Advance(TimeSpan.FromDays(2));

        var result = await host.Engine.ActivateManyAsync([new(1, host.Now.AddDays(30))]);

        Assert.Equal(1, result.Count(VipEntryOutcome.Restarted));
        Assert.Equal([1L], result.RemoveFromChannel);
        Assert.Equal(VipEntryStage.ActivationConfirmation, await host.StageAsync(1));
    }

    [Fact]
    public async Task The_default_implementation_calls_activate_per_member()
    {
        await using var host = new TestHost();
        IVipEntryStateMachine plain = new PlainMachine(host.Engine);

        var result = await plain.ActivateManyAsync([new(1, host.Now.AddDays(30)), new(1, host.Now.AddDays(30))]);

        Assert.Equal(1, result.Count(VipEntryOutcome.Started));
        Assert.Equal(1, result.Count(VipEntryOutcome.AtStage));
    }

    // A host's own implementation that knows nothing of bulk activation: it gets the interface's default.
    private sealed class PlainMachine(IVipEntryStateMachine inner) : IVipEntryStateMachine
    {
        public ValueTask<VipEntryResult> ActivateAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, CancellationToken cancellationToken = default) =>
            inner.ActivateAsync(subscriberId, subscriptionEndsAt, cancellationToken);

        public ValueTask RememberCultureAsync(long personId, CultureInfo culture, CancellationToken cancellationToken = default) =>
            inner.RememberCultureAsync(personId, culture, cancellationToken);

        public ValueTask<CultureInfo> GetCultureAsync(long personId, CancellationToken cancellationToken = default) =>
            inner.GetCultureAsync(personId, cancellationToken);

        public ValueTask<VipEntryStep> GetStepAsync(long subscriberId, CultureInfo? culture = null, CancellationToken cancellationToken = default) =>
            inner.GetStepAsync(subscriberId, culture, cancellationToken);
        public ValueTask<VipEntryResult> AdvanceAsync(long subscriberId, VipEntryStage from, CancellationToken cancellationToken = default) =>
            inner.AdvanceAsync(subscriberId, from, cancellationToken);
        public ValueTask<VipEntryStep> HandleCallbackAsync(long subscriberId, string? callbackData, CultureInfo? culture = null, CancellationToken cancellationToken = default) =>
            inner.HandleCallbackAsync(subscriberId, callbackData, culture, cancellationToken);
        public ValueTask<VipEntryResult> DeliverAccessAsync(long subscriberId, CancellationToken cancellationToken = default) =>
            inner.DeliverAccessAsync(subscriberId, cancellationToken);
        public ValueTask<VipEntryResult> ReissueAccessAsync(long subscriberId, CancellationToken cancellationToken = default) =>
            inner.ReissueAccessAsync(subscriberId, cancellationToken);
        public ValueTask<VipEntryResult> RequestReentryAsync(long subscriberId, CancellationToken cancellationToken = default) =>
            inner.RequestReentryAsync(subscriberId, cancellationToken);
        public ValueTask<VipEntryStatus> GetStatusAsync(long subscriberId, CancellationToken cancellationToken = default) =>
            inner.GetStatusAsync(subscriberId, cancellationToken);
        public ValueTask<VipEntryResult> RedeemTokenAsync(long claimantId, string? token, CancellationToken cancellationToken = default) =>
            inner.RedeemTokenAsync(claimantId, token, cancellationToken);
        public ValueTask<VipEntryResult> RedeemLinkAsync(long claimantId, string? link, CancellationToken cancellationToken = default) =>
            inner.RedeemLinkAsync(claimantId, link, cancellationToken);
        public ValueTask<VipEntryResult> SkipAsync(long subscriberId, string actor, string reason, CancellationToken cancellationToken = default) =>
            inner.SkipAsync(subscriberId, actor, reason, cancellationToken);
        public ValueTask<VipEntryResult> EndSubscriptionAsync(long subscriberId, CancellationToken cancellationToken = default) =>
            inner.EndSubscriptionAsync(subscriberId, cancellationToken);
        public ValueTask<VipEntrySweepResult> SweepAsync(CancellationToken cancellationToken = default) =>
            inner.SweepAsync(cancellationToken);
        public ValueTask<VipEntryResult> ConfirmLapseHandledAsync(VipEntryLapse lapse, CancellationToken cancellationToken = default) =>
            inner.ConfirmLapseHandledAsync(lapse, cancellationToken);
        public ValueTask<VipEntryNudgeBatch> ClaimNudgesAsync(CancellationToken cancellationToken = default) =>
            inner.ClaimNudgesAsync(cancellationToken);
        public ValueTask<bool> ReportInsideAsync(long personId, CancellationToken cancellationToken = default) =>
            inner.ReportInsideAsync(personId, cancellationToken);
        public ValueTask ReportOutsideAsync(long personId, CancellationToken cancellationToken = default) =>
            inner.ReportOutsideAsync(personId, cancellationToken);
        public ValueTask<VipEntryFunnel> GetFunnelAsync(CancellationToken cancellationToken = default) =>
            inner.GetFunnelAsync(cancellationToken);
    }
}
