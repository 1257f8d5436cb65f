using Microsoft.Extensions.Time.Testing;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Engine;

public sealed class TimeTests
{
    [Fact]
    public async Task R10_A_subscription_end_with_an_offset_is_stored_as_the_same_instant_in_UTC()
    {
        await using var host = new TestHost();
        var endsInBogota = new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.FromHours(-5));

        await host.Engine.ActivateAsync(1, endsInBogota);

        var stored = (await host.RecordAsync(1))!.SubscriptionEndsAt;
        Assert.Equal(TimeSpan.Zero, stored.Offset);
        Assert.Equal(endsInBogota.UtcTicks, stored.UtcTicks);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 14, 0, 0, TimeSpan.Zero), stored);
    }

    [Fact]
    public async Task R10_Expiry_is_issue_time_plus_link_lifetime_exactly_and_in_UTC()
    {
        await using var host = new TestHost(o => o.LinkLifetime = TimeSpan.FromMinutes(90));
        await host.WalkToAsync(1, VipEntryStage.AccessDelivery);
        host.Time.Advance(TimeSpan.FromMilliseconds(1234.5678));

        // Instants are kept at the stores' precision (whole microseconds), in every store (R10).
        var issuedAt = VipEntry.Core.Engine.VipEntryStateMachine.ToStorePrecision(host.Now);
        Assert.NotEqual(host.Now, issuedAt);

        var issued = await host.Engine.DeliverAccessAsync(1);

        var expected = issuedAt + TimeSpan.FromMinutes(90);
        Assert.Equal(expected, issued.Access!.ExpiresAt);
        Assert.Equal(expected.UtcTicks, issued.Access.ExpiresAt.UtcTicks);
        Assert.Equal(TimeSpan.Zero, issued.Access.ExpiresAt.Offset);
        Assert.Equal(expected, host.Issuer!.LastRequest.ExpiresAt);
        Assert.Equal(issuedAt, (await host.RecordAsync(1))!.GrantIssuedAt);
    }

    [Fact]
    public async Task R10_Time_comes_from_the_injected_TimeProvider()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation, TimeSpan.FromDays(1));

        // Nothing but the fake clock moves: a day on it ends the subscription even though no real time passed.
        host.Time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(Results.VipEntryOutcome.SubscriptionExpired, (await host.Engine.AdvanceAsync(1, VipEntryStage.ActivationConfirmation)).Outcome);
        var lapse = Assert.Single((await host.Engine.SweepAsync()).Lapses);
        Assert.Equal(host.Now + TimeSpan.FromMinutes(10), lapse.LeaseExpiresAt);
        Assert.Equal(lapse.LeaseExpiresAt, (await host.RecordAsync(1))!.LapseLeaseUntil);
        host.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(Results.VipEntryOutcome.LapseConfirmed, (await host.Engine.ConfirmLapseHandledAsync(lapse)).Outcome);
        Assert.Equal(host.Now, (await host.RecordAsync(1))!.LapseHandledAt);
    }

    [Fact]
    public async Task R10_Times_are_normalized_to_UTC_even_when_the_clock_reports_an_offset()
    {
        var clock = new OffsetClock(new FakeTimeProvider(TestHost.Start), TimeSpan.FromHours(3));
        await using var host = new TestHost(clock: clock);
        await host.WalkToAsync(1, VipEntryStage.AccessDelivery);

        var issued = await host.Engine.DeliverAccessAsync(1);

        var record = await host.RecordAsync(1);
        Assert.Equal(TimeSpan.Zero, record!.GrantIssuedAt!.Value.Offset);
        Assert.Equal(TestHost.Start, record.GrantIssuedAt.Value);
        Assert.Equal(TimeSpan.Zero, issued.Access!.ExpiresAt.Offset);
        Assert.Equal(TestHost.Start.AddHours(24), issued.Access.ExpiresAt);
    }

    private sealed class OffsetClock(TimeProvider inner, TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow().ToOffset(offset);
    }
}
