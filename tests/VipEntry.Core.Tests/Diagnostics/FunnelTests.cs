using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Diagnostics;

public sealed class FunnelTests
{
    [Fact]
    public async Task R15_The_funnel_counts_active_subscribers_per_stage()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation);
        await host.WalkToAsync(2, VipEntryStage.ActivationConfirmation);
        await host.WalkToAsync(3, VipEntryStage.ExpectationAlignment);
        await host.WalkToAsync(4, VipEntryStage.AccessDelivery);
        var (_, token) = await host.IssueAsync(5);
        await host.Engine.RedeemTokenAsync(5, token);
        await host.WalkToAsync(6, VipEntryStage.ExpectationAlignment, TimeSpan.FromHours(1));
        host.Time.Advance(TimeSpan.FromHours(1));

        var funnel = await host.Engine.GetFunnelAsync();

        Assert.Equal((2, 1, 1, 1), (funnel.ActivationConfirmation, funnel.ExpectationAlignment, funnel.AccessDelivery, funnel.Completed));
        Assert.Equal(5, funnel.Total);
        Assert.Equal(2, funnel[VipEntryStage.ActivationConfirmation]);
        Assert.Equal(1, funnel[VipEntryStage.Completed]);
        Assert.Equal(0, funnel[VipEntryStage.NotEnrolled]);
    }

    [Fact]
    public async Task R15_An_empty_store_has_an_empty_funnel()
    {
        await using var host = new TestHost();

        var funnel = await host.Engine.GetFunnelAsync();

        Assert.Equal(0, funnel.Total);
    }
}
