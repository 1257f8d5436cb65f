using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VipEntry.Core.Channel;
using VipEntry.Core.Options;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Channel;

/// <summary>
/// R19 between steps: a store fault at each new write of the engine and the worker leaves either the old state or the new
/// one, never loses owed work, and the retry (or the next cycle) finishes it.
/// </summary>
public sealed class ChannelFactsFaultTests
{
    private static readonly TimeSpan Odd = TimeSpan.FromTicks(12_345_678);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task R19_A_fault_owing_the_old_link_before_a_reissue_changes_nothing_and_the_retry_owes_and_revokes_it()
    {
        await using var host = Host();
        var (chat, facts, _) = Parts(host);
        var first = await WalkToStage3Async(host, 3);
        host.Time.Advance(TimeSpan.FromHours(24) + Odd);

        facts.FailNext(nameof(IVipEntryChannelStore.OweRevocationsAsync));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await host.Engine.ReissueAccessAsync(3));
        Assert.Equal(first, (await host.Store.FindAsync(3))!.GrantLink); // the old state: nothing replaced

        var reissued = await host.Engine.ReissueAccessAsync(3);
        Assert.Equal(VipEntryOutcome.AccessReissued, reissued.Outcome);
        await Worker(host).RunOnceAsync();
        Assert.Contains(first, chat.Revoked);
        Assert.DoesNotContain(reissued.Access!.Link, chat.Revoked);
    }

    [Fact]
    public async Task R19_A_redemption_that_fails_after_its_link_was_owed_leaves_the_link_usable_and_the_retry_revokes_it()
    {
        await using var host = Host();
        var (chat, _, store) = Parts(host);
        var link = await WalkToStage3Async(host, 4);

        store.FailNextRedeem = new InvalidOperationException("injected: the redemption's write failed");
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await host.Engine.RedeemLinkAsync(4, link));

        // The link was owed ahead of the write; it still stands (the grant is the member's), so the worker does not revoke
        // it, and keeps it owed (the change may still be written), looked at again after the lease.
        await Worker(host).RunOnceAsync();
        Assert.DoesNotContain(link, chat.Revoked);
        Assert.Equal([link], (await Facts(host, 4))!.LinksToRevoke);

        Assert.Equal(VipEntryOutcome.Redeemed, (await host.Engine.RedeemLinkAsync(4, link)).Outcome);
        await Worker(host).RunOnceAsync();
        Assert.Contains(link, chat.Revoked);
        Assert.True((await Facts(host, 4))!.MayBeInside);
    }

    [Fact]
    public async Task R19_A_fault_recording_the_ban_ahead_asks_for_no_removal_and_the_next_cycle_after_the_lease_does_it()
    {
        await using var host = Host();
        var (chat, facts, _) = Parts(host);
        chat.Join(8);
        Assert.False(await host.Engine.ReportInsideAsync(8));

        facts.FailNext(nameof(IVipEntryChannelStore.TryRecordBanAsync));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Worker(host).WorkOnAsync(8));
        Assert.DoesNotContain(chat.Calls, c => c.StartsWith("remove 8", StringComparison.Ordinal));
        Assert.True(chat.IsIn(8));

        host.Time.Advance(Lease + Odd);
        Assert.Equal(1, (await Worker(host).RunOnceAsync()).Removed);
        Assert.False(chat.IsIn(8));
        Assert.False(chat.IsBanned(8));
    }

    [Fact]
    public async Task R19_A_fault_settling_after_a_removal_keeps_the_facts_and_the_next_cycle_after_the_lease_settles_them()
    {
        await using var host = Host();
        var (chat, facts, _) = Parts(host);
        chat.Join(9);
        await host.Engine.ReportInsideAsync(9);

        facts.FailNext(nameof(IVipEntryChannelStore.TrySettleAsync));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Worker(host).WorkOnAsync(9));
        Assert.False(chat.IsIn(9));
        var unsettled = (await Facts(host, 9))!;
        Assert.True(unsettled.MayBeInside);
        Assert.True(unsettled.BanMayStand);

        host.Time.Advance(Lease + Odd);
        await Worker(host).RunOnceAsync();
        var settled = (await Facts(host, 9))!;
        Assert.False(settled.MayBeInside);
        Assert.False(settled.BanMayStand);
        Assert.Null(settled.DueAt);
    }

    [Fact]
    public async Task R19_A_fault_recording_a_join_report_throws_to_the_transport_which_reports_again()
    {
        await using var host = Host();
        var (chat, facts, _) = Parts(host);
        chat.Join(10);
        facts.FailNext(nameof(IVipEntryChannelStore.RecordInsideAsync));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await host.Engine.ReportInsideAsync(10));
        Assert.Null(await Facts(host, 10));

        // The transport (a webhook answering non-2xx) gets the update again.
        Assert.False(await host.Engine.ReportInsideAsync(10));
        await Worker(host).RunOnceAsync();
        Assert.False(chat.IsIn(10));
    }

    [Fact]
    public async Task R19_A_fault_marking_a_renewal_due_does_not_fail_the_renewal_and_the_owed_removal_still_happens()
    {
        await using var host = Host();
        var (chat, facts, _) = Parts(host);
        await host.Engine.ActivateAsync(5, host.Time.GetUtcNow() + TimeSpan.FromDays(30) + Odd);
        chat.Join(5);
        await host.Engine.ReportInsideAsync(5);
        chat.FailRemoval.Add(5);
        await Worker(host).WorkOnAsync(5);
        chat.FailRemoval.Clear();

        facts.FailNext(nameof(IVipEntryChannelStore.MarkDueAsync));
        Assert.Equal(VipEntryOutcome.Restarted, (await host.Engine.ActivateAsync(5, host.Time.GetUtcNow() + TimeSpan.FromDays(60) + Odd)).Outcome);

        host.Time.Advance(Lease + Odd);
        await Worker(host).RunOnceAsync();
        Assert.False(chat.IsIn(5));
        Assert.False(chat.IsBanned(5));
    }

    private static TestHost Host() =>
        new(
            o => o.LapseLease = Lease,
            build: b =>
            {
                b.UseChannel<ModelChannel>(w => w.Enabled = false, ServiceLifetime.Singleton);
                b.Services.AddSingleton(sp => new InterceptingStore(sp.GetRequiredService<InMemoryVipEntryStore>()));
                b.Services.Replace(ServiceDescriptor.Singleton<IVipEntryStore>(sp => sp.GetRequiredService<InterceptingStore>()));
                b.Services.AddSingleton(sp => new FaultyChannelStore(sp.GetRequiredService<InMemoryVipEntryChannelStore>()));
                b.Services.Replace(ServiceDescriptor.Singleton<IVipEntryChannelStore>(sp => sp.GetRequiredService<FaultyChannelStore>()));
            });

    private static (ModelChannel Chat, FaultyChannelStore Facts, InterceptingStore Store) Parts(TestHost host) =>
        ((ModelChannel)host.Services.GetRequiredService<IVipEntryChannel>(), host.Services.GetRequiredService<FaultyChannelStore>(), host.Services.GetRequiredService<InterceptingStore>());

    private static IVipEntryChannelWorker Worker(TestHost host) => host.Services.GetRequiredService<IVipEntryChannelWorker>();

    private static ValueTask<VipEntryChannelRecord?> Facts(TestHost host, long personId) =>
        host.Services.GetRequiredService<InMemoryVipEntryChannelStore>().FindAsync(VipEntryOptions.DefaultChannelKey, personId);

    private static async Task<string> WalkToStage3Async(TestHost host, long id)
    {
        await host.Engine.ActivateAsync(id, host.Time.GetUtcNow() + TimeSpan.FromDays(30) + Odd);
        await host.Engine.AdvanceAsync(id, VipEntryStage.ActivationConfirmation);
        await host.Engine.AdvanceAsync(id, VipEntryStage.ExpectationAlignment);
        return (await host.Engine.DeliverAccessAsync(id)).Access!.Link;
    }
}
