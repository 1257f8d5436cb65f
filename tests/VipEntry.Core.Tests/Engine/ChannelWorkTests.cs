using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Engine;

public sealed class ChannelWorkTests
{
    [Fact]
    public async Task Defect3_A_link_recorded_between_the_renewals_read_and_write_is_reported_for_revocation()
    {
        var time = new FakeTimeProvider(TestHost.Start);
        var inner = new InMemoryVipEntryStore();
        var store = new InterceptingStore(inner);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IVipEntryStore>(store);
        services.AddSingleton<IVipEntryChannelStore>(new InMemoryVipEntryChannelStore());
        services.AddVipEntry();
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<IVipEntryStateMachine>();
        await engine.ActivateAsync(1, TestHost.Start.AddDays(30));
        await engine.AdvanceAsync(1, VipEntryStage.ActivationConfirmation);
        await engine.AdvanceAsync(1, VipEntryStage.ExpectationAlignment);
        var hash = new string('a', 64);
        Assert.True(await inner.TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, hash, time.GetUtcNow(), time.GetUtcNow()));

        // The renewal read the grant with no link yet; the link issuer records its link before the renewal writes.
        store.BeforeRenew = async () => Assert.True(await inner.TryRecordLinkAsync(1, hash, "https://t.me/+late"));
        var renewed = await engine.ActivateAsync(1, TestHost.Start.AddDays(60).AddTicks(7));

        Assert.Equal(VipEntryOutcome.Restarted, renewed.Outcome);
        Assert.Equal(["https://t.me/+late"], renewed.LinksToRevoke);
        Assert.Null(await inner.FindByLinkAsync("https://t.me/+late"));
    }

    [Fact]
    public async Task Defect6_A_link_issuer_cancelled_mid_call_withdraws_the_grant_so_the_member_is_not_told_it_was_delivered()
    {
        await using var host = new TestHost();
        await host.WalkToAsync(1, VipEntryStage.AccessDelivery);
        host.Issuer!.HangUntilCancelled = true;
        using var cts = new CancellationTokenSource();

        var delivery = host.Engine.DeliverAccessAsync(1, cts.Token).AsTask();
        await host.Issuer.Hanging.Task;
        Assert.NotNull((await host.RecordAsync(1))!.GrantTokenHash); // the grant exists while the transport call runs
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delivery);
        var record = await host.RecordAsync(1);
        Assert.Null(record!.GrantTokenHash);
        Assert.Null(record.GrantIssuedAt);

        host.Issuer.HangUntilCancelled = false;
        var again = await host.Engine.GetStepAsync(1);
        Assert.Equal(VipEntryOutcome.AccessIssued, again.Result.Outcome); // not AccessAlreadyDelivered, not ReissueTooSoon
    }

    [Fact]
    public async Task R17_Confirm_without_a_claim_is_a_programmer_error()
    {
        await using var host = new TestHost();
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await host.Engine.ConfirmLapseHandledAsync(null!));
        await Assert.ThrowsAsync<ArgumentException>(async () => await host.Engine.ConfirmLapseHandledAsync(new VipEntryLapse(1, VipEntryStage.Completed, TestHost.Start, null)));
    }

    [Fact]
    public async Task R17_A_renewal_cancels_an_unconfirmed_claim_and_the_worker_learns_the_member_is_entitled_again()
    {
        await using var host = new TestHost();
        var (link, _) = await host.IssueAsync(1, TimeSpan.FromDays(1));
        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemLinkAsync(1, link)).Outcome);
        host.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromTicks(4321));
        var lapse = Assert.Single((await host.Engine.SweepAsync()).Lapses);

        // The worker's ban is in flight for minutes; meanwhile the member renews, walks the ritual again and joins.
        Assert.Equal(VipEntryOutcome.Restarted, (await host.Engine.ActivateAsync(1, host.Now.AddDays(30))).Outcome);
        await host.Engine.AdvanceAsync(1, VipEntryStage.ActivationConfirmation);
        await host.Engine.AdvanceAsync(1, VipEntryStage.ExpectationAlignment);
        var fresh = (await host.Engine.DeliverAccessAsync(1)).Access!.Link;
        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemLinkAsync(1, fresh)).Outcome);

        // The ban lands; the worker confirms and learns the member paid: it lets them back in with a re-entry link.
        var confirmed = await host.Engine.ConfirmLapseHandledAsync(lapse);
        Assert.Equal(VipEntryOutcome.EntitledAgain, confirmed.Outcome);
        Assert.Equal(VipEntryStage.Completed, confirmed.Stage);
        var reentry = await host.Engine.RequestReentryAsync(1);
        Assert.Equal(VipEntryOutcome.AccessIssued, reentry.Outcome);
        Assert.Equal(VipEntryOutcome.Readmitted, (await host.Engine.RedeemLinkAsync(1, reentry.Access!.Link)).Outcome);
        Assert.Empty((await host.Engine.SweepAsync()).Lapses);
    }
}
