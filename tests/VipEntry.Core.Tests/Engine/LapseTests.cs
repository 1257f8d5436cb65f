using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Engine;

public sealed class LapseTests
{
    [Fact]
    public async Task R8_An_ended_subscription_blocks_advance_without_any_sweep()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation, TimeSpan.FromHours(1));
        host.Time.Advance(TimeSpan.FromHours(1));

        var result = await host.Engine.AdvanceAsync(1, VipEntryStage.ActivationConfirmation);

        Assert.Equal(VipEntryOutcome.SubscriptionExpired, result.Outcome);
        Assert.Equal(VipEntryStage.ActivationConfirmation, await host.StageAsync(1));
    }

    [Fact]
    public async Task R8_An_ended_subscription_blocks_issuing_without_any_sweep()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.AccessDelivery, TimeSpan.FromHours(1));
        host.Time.Advance(TimeSpan.FromHours(2));

        var delivered = await host.Engine.DeliverAccessAsync(1);
        var step = await host.Engine.GetStepAsync(1);

        Assert.Equal(VipEntryOutcome.SubscriptionExpired, delivered.Outcome);
        Assert.Equal(VipEntryOutcome.SubscriptionExpired, step.Result.Outcome);
        Assert.Equal(0, host.Issuer!.Calls);
        Assert.Null((await host.RecordAsync(1))!.GrantTokenHash);
    }

    [Fact]
    public async Task R8_An_ended_subscription_blocks_redeeming_a_grant_that_is_still_within_its_lifetime()
    {
        await using var host = new TestHost();
        var (link, token) = await host.IssueAsync(1, TimeSpan.FromHours(1));
        host.Time.Advance(TimeSpan.FromHours(1));

        var byToken = await host.Engine.RedeemTokenAsync(1, token);
        var byLink = await host.Engine.RedeemLinkAsync(1, link);

        Assert.Equal(VipEntryOutcome.SubscriptionExpired, byToken.Outcome);
        Assert.Equal(VipEntryOutcome.SubscriptionExpired, byLink.Outcome);
        Assert.Equal(VipEntryStage.AccessDelivery, await host.StageAsync(1));
    }

    [Fact]
    public async Task R8_Sweep_reports_mid_ritual_grant_holding_and_completed_lapses_once_and_revokes_grants()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ExpectationAlignment, TimeSpan.FromDays(1));
        var (link, token) = await host.IssueAsync(2, TimeSpan.FromDays(1));
        var (_, token3) = await host.IssueAsync(3, TimeSpan.FromDays(1));
        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemTokenAsync(3, token3)).Outcome);
        await host.WalkToAsync(4, VipEntryStage.ActivationConfirmation, TimeSpan.FromDays(30));
        host.Time.Advance(TimeSpan.FromDays(1));

        var first = await host.Engine.SweepAsync();

        Assert.False(first.HasMore);
        Assert.Equal([1L, 2L, 3L], first.Lapses.Select(l => l.SubscriberId).Order());
        var byId = first.Lapses.ToDictionary(l => l.SubscriberId);
        Assert.Equal(VipEntryStage.ExpectationAlignment, byId[1].Stage);
        Assert.Null(byId[1].LinkToRevoke);
        Assert.False(byId[1].ShouldRemoveFromChannel);
        Assert.Equal(link, byId[2].LinkToRevoke);
        Assert.False(byId[2].ShouldRemoveFromChannel);
        Assert.True(byId[3].ShouldRemoveFromChannel);
        Assert.Null((await host.RecordAsync(2))!.GrantTokenHash);
        Assert.NotEqual(VipEntryOutcome.Redeemed, (await host.Engine.RedeemTokenAsync(2, token)).Outcome);
        Assert.Equal(VipEntryStage.AccessDelivery, await host.StageAsync(2));

        var second = await host.Engine.SweepAsync();
        Assert.Empty(second.Lapses);
        Assert.False(second.HasMore);
    }

    [Fact]
    public async Task R8_A_revoked_grant_stays_dead_after_renewal()
    {
        await using var host = new TestHost();
        var (link, token) = await host.IssueAsync(1, TimeSpan.FromHours(2));
        host.Time.Advance(TimeSpan.FromHours(3));
        await host.Engine.SweepAsync();

        await host.Engine.ActivateAsync(1, host.Now.AddDays(30));

        Assert.Equal(VipEntryOutcome.UnknownGrant, (await host.Engine.RedeemTokenAsync(1, token)).Outcome);
        Assert.Equal(VipEntryOutcome.UnknownGrant, (await host.Engine.RedeemLinkAsync(1, link)).Outcome);
    }

    [Fact]
    public async Task R8_Renewal_clears_the_lapse_record_so_a_later_lapse_is_reported_again()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation, TimeSpan.FromDays(1));
        host.Time.Advance(TimeSpan.FromDays(2));
        Assert.Single((await host.Engine.SweepAsync()).Lapses);

        await host.Engine.ActivateAsync(1, host.Now.AddDays(1));
        host.Time.Advance(TimeSpan.FromDays(2));

        Assert.Single((await host.Engine.SweepAsync()).Lapses);
        Assert.Empty((await host.Engine.SweepAsync()).Lapses);
    }

    [Fact]
    public async Task R8_Sweep_works_in_bounded_batches()
    {
        await using var host = new TestHost(o => o.SweepBatchSize = 2);
        for (var id = 1; id <= 5; id++)
        {
            await host.WalkToAsync(id, VipEntryStage.ActivationConfirmation, TimeSpan.FromHours(id));
        }

        host.Time.Advance(TimeSpan.FromDays(1));

        var batches = new List<VipEntrySweepResult>();
        for (var i = 0; i < 4; i++)
        {
            batches.Add(await host.Engine.SweepAsync());
        }

        Assert.Equal([2, 2, 1, 0], batches.Select(b => b.Lapses.Count));
        Assert.Equal([true, true, false, false], batches.Select(b => b.HasMore));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], batches.SelectMany(b => b.Lapses).Select(l => l.SubscriberId));
    }

    [Fact]
    public async Task R8_Sweep_ignores_subscriptions_that_have_not_ended()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ActivationConfirmation, TimeSpan.FromHours(1));
        host.Time.Advance(TimeSpan.FromMinutes(59));

        var result = await host.Engine.SweepAsync();

        Assert.Empty(result.Lapses);
        Assert.Null((await host.RecordAsync(1))!.LapseHandledAt);
    }

    [Fact]
    public async Task R8_Administrative_skip_of_an_ended_subscription_changes_nothing()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.ExpectationAlignment, TimeSpan.FromDays(1));
        host.Time.Advance(TimeSpan.FromDays(2));

        var result = await host.Engine.SkipAsync(1, "admin", "late gift");

        Assert.Equal(VipEntryOutcome.SubscriptionExpired, result.Outcome);
        Assert.Equal(VipEntryStage.ExpectationAlignment, await host.StageAsync(1));
    }

    [Fact]
    public async Task R8_A_completed_member_whose_subscription_ended_is_told_it_ended_not_that_they_are_in()
    {
        await using var host = new TestHost();
        var (_, token) = await host.IssueAsync(1, TimeSpan.FromDays(2));
        await host.Engine.RedeemTokenAsync(1, token);
        host.Time.Advance(TimeSpan.FromDays(2));

        var step = await host.Engine.GetStepAsync(1);
        var delivered = await host.Engine.DeliverAccessAsync(1);

        Assert.Equal(VipEntryOutcome.SubscriptionExpired, step.Result.Outcome);
        Assert.Equal(VipEntryStage.Completed, step.Result.Stage);
        Assert.Equal(VipEntryOutcome.SubscriptionExpired, delivered.Outcome);
        var provider = (Core.Messages.IVipEntryMessageProvider)host.Services.GetService(typeof(Core.Messages.IVipEntryMessageProvider))!;
        Assert.Equal(provider.GetNotice(Core.Messages.VipEntryNotice.SubscriptionExpired, System.Globalization.CultureInfo.GetCultureInfo("en")), step.Prompt.Text);
    }

    [Fact]
    public async Task R2_R8_A_renewal_that_races_a_sweep_restarts_the_member_the_sweep_reported_for_removal()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestHost.Start);
        var store = new InterceptingStore(new Core.Storage.InMemoryVipEntryStore());
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<TimeProvider>(services, time);
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Core.Storage.IVipEntryStore>(services, store);
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Core.Storage.IVipEntryChannelStore>(services, new Core.Storage.InMemoryVipEntryChannelStore());
        Core.DependencyInjection.VipEntryServiceCollectionExtensions.AddVipEntry(services);
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var engine = (Core.Engine.IVipEntryStateMachine)provider.GetService(typeof(Core.Engine.IVipEntryStateMachine))!;
        await engine.ActivateAsync(1, TestHost.Start.AddHours(1));
        await engine.SkipAsync(1, "admin", "comp");
        time.Advance(TimeSpan.FromMinutes(59));
        var swept = new List<VipEntryLapse>();
        store.BeforeRenew = async () =>
        {
            // Between the renewal's read (active, completed) and its write, the subscription ends and a sweep removes the member.
            time.Advance(TimeSpan.FromMinutes(2));
            swept.AddRange((await engine.SweepAsync()).Lapses);
        };

        var renewed = await engine.ActivateAsync(1, time.GetUtcNow().AddDays(30));

        Assert.True(Assert.Single(swept).ShouldRemoveFromChannel);
        Assert.Equal(VipEntryOutcome.Restarted, renewed.Outcome);
        var record = await store.FindAsync(1);
        Assert.Equal(VipEntryStage.ActivationConfirmation, record!.Stage);
        Assert.Null(record.LapseHandledAt);
    }

    [Fact]
    public async Task R8_A_full_batch_in_which_every_mark_lost_its_race_does_not_report_more()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestHost.Start);
        var inner = new Core.Storage.InMemoryVipEntryStore();
        var store = new InterceptingStore(inner);
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<TimeProvider>(services, time);
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Core.Storage.IVipEntryStore>(services, store);
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Core.Storage.IVipEntryChannelStore>(services, new Core.Storage.InMemoryVipEntryChannelStore());
        Core.DependencyInjection.VipEntryServiceCollectionExtensions.AddVipEntry(services, o => o.SweepBatchSize = 2);
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var engine = (Core.Engine.IVipEntryStateMachine)provider.GetService(typeof(Core.Engine.IVipEntryStateMachine))!;
        await engine.ActivateAsync(1, TestHost.Start.AddHours(1));
        await engine.ActivateAsync(2, TestHost.Start.AddHours(2));
        time.Advance(TimeSpan.FromDays(1));

        // Every listed member renews between the listing and the mark (another replica, a payment webhook).
        store.BeforeMarkLapse = async listed => Assert.True(await inner.TryRenewAsync(listed, time.GetUtcNow().AddDays(30), restart: true));
        var sweep = await engine.SweepAsync();

        Assert.Empty(sweep.Lapses);
        Assert.False(sweep.HasMore); // a host looping "while HasMore" stops instead of spinning on rows it cannot mark
    }
}
