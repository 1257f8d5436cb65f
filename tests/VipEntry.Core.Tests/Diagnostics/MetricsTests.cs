using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Diagnostics;

public sealed class MetricsTests
{
    [Fact]
    public async Task R15_Counters_on_the_VipEntry_meter_count_each_kind_of_change()
    {
        await using var host = new TestHost();
        using var started = Collect(host, "vipentry.ritual.started");
        using var advanced = Collect(host, "vipentry.ritual.advanced");
        using var issued = Collect(host, "vipentry.access.issued");
        using var redeemed = Collect(host, "vipentry.access.redeemed");
        using var refused = Collect(host, "vipentry.access.refused");
        using var expired = Collect(host, "vipentry.subscription.expired");
        using var skipped = Collect(host, "vipentry.ritual.skipped");

        var (_, token) = await host.IssueAsync(1);
        await host.Engine.RedeemTokenAsync(2, token);
        await host.Engine.RedeemTokenAsync(1, "garbage");
        await host.Engine.RedeemTokenAsync(1, token);
        await host.IssueAsync(3);
        host.Time.Advance(TimeSpan.FromDays(1));
        await host.Engine.ReissueAccessAsync(3);
        await host.WalkToAsync(4, VipEntryStage.ActivationConfirmation, TimeSpan.FromHours(1));
        await host.WalkToAsync(5, VipEntryStage.ActivationConfirmation);
        await host.Engine.SkipAsync(5, "admin", "gift");
        host.Time.Advance(TimeSpan.FromHours(1));
        await host.Engine.SweepAsync();

        Assert.Equal(4, Sum(started));
        Assert.Equal(4, Sum(advanced));
        Assert.Equal([2, 3, 2, 3], advanced.GetMeasurementSnapshot().Select(m => Convert.ToInt32(m.Tags["vipentry.stage"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(3, Sum(issued));
        Assert.Equal([false, false, true], issued.GetMeasurementSnapshot().Select(m => (bool)m.Tags["vipentry.reissue"]!));
        Assert.Equal(1, Sum(redeemed));
        Assert.Equal(2, Sum(refused));
        Assert.Equal([nameof(VipEntryOutcome.Refused), nameof(VipEntryOutcome.InvalidInput)], refused.GetMeasurementSnapshot().Select(m => (string)m.Tags["vipentry.reason"]!));
        Assert.Equal(1, Sum(expired));
        Assert.Equal(1, Sum(skipped));
        Assert.Equal(VipEntryMetrics.MeterName, redeemed.Instrument!.Meter.Name);
    }

    [Fact]
    public void R15_Without_a_meter_factory_the_metrics_own_a_VipEntry_meter()
    {
        using var metrics = new VipEntryMetrics();
        using var collector = new MetricCollector<long>(null, VipEntryMetrics.MeterName, "vipentry.ritual.skipped");

        metrics.Skipped();

        Assert.Contains(collector.GetMeasurementSnapshot(), m => m.Value == 1);
    }

    private static MetricCollector<long> Collect(TestHost host, string instrument) =>
        new(host.MeterFactory, VipEntryMetrics.MeterName, instrument);

    private static long Sum(MetricCollector<long> collector) => collector.GetMeasurementSnapshot().Sum(m => m.Value);
}
