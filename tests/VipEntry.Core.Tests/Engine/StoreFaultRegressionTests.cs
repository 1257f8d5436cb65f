using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Engine;

/// <summary>
/// Regressions found by the fault-at-every-store-call suite (issue 10, tests/VipEntry.Core.EfCore.Tests/Faults): a grant
/// write that fails, or whose answer is lost after it committed, never leaves a grant without its link or a live link
/// reported for revocation.
/// </summary>
public sealed class StoreFaultRegressionTests
{
    [Fact]
    public async Task Issue10_Fault1_A_grant_whose_write_went_through_but_whose_answer_was_lost_is_delivered_not_stuck_until_the_cooldown()
    {
        await using var rig = await Rig.AtStage3Async();
        var faults = 0;
        rig.Store.AroundGrantWrite = async (write, run) =>
        {
            if (write != "TryIssueGrant" || faults++ > 0)
            {
                return await run();
            }

            // The UPDATE committed; the connection dropped before its answer: the EF store reports "taken by another".
            Assert.True(await run());
            return false;
        };

        var delivered = await rig.Engine.DeliverAccessAsync(1);

        Assert.Equal(VipEntryOutcome.AccessIssued, delivered.Outcome);
        Assert.Equal(delivered.Access!.Link, (await rig.Inner.FindAsync(1))!.GrantLink);
        Assert.Equal(VipEntryOutcome.AccessShown, (await rig.Engine.DeliverAccessAsync(1)).Outcome);
    }

    [Fact]
    public async Task Issue10_Fault1_A_grant_whose_write_went_through_but_then_threw_is_delivered_not_stuck_until_the_cooldown()
    {
        await using var rig = await Rig.AtStage3Async();
        var faults = 0;
        rig.Store.AroundGrantWrite = async (write, run) =>
        {
            if (write != "TryIssueGrant" || faults++ > 0)
            {
                return await run();
            }

            // The UPDATE committed; the connection dropped before its answer and the provider threw (Npgsql's execution
            // strategy wraps the transient error in an InvalidOperationException).
            Assert.True(await run());
            throw new InvalidOperationException("An exception has been raised that is likely due to a transient failure.");
        };

        var delivered = await rig.Engine.DeliverAccessAsync(1);

        Assert.Equal(VipEntryOutcome.AccessIssued, delivered.Outcome);
        Assert.Equal(delivered.Access!.Link, (await rig.Inner.FindAsync(1))!.GrantLink);
    }

    [Fact]
    public async Task Issue10_Fault1_A_grant_write_that_failed_before_it_ran_still_throws_and_changes_nothing()
    {
        await using var rig = await Rig.AtStage3Async();
        rig.Store.AroundGrantWrite = (write, run) => write == "TryIssueGrant" ? throw new InvalidOperationException("injected") : run();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await rig.Engine.DeliverAccessAsync(1));

        Assert.Null((await rig.Inner.FindAsync(1))!.GrantTokenHash);
    }

    [Fact]
    public async Task Issue10_Fault2_A_link_the_store_fails_to_record_is_reported_for_revocation_and_the_grant_withdrawn()
    {
        await using var rig = await Rig.AtStage3Async();
        var faults = 0;
        rig.Store.AroundGrantWrite = (write, run) => write == "TryRecordLink" && faults++ == 0
            ? throw new InvalidOperationException("injected: the connection dropped")
            : run();

        var failed = await rig.Engine.DeliverAccessAsync(1);

        // The transport link exists but is not recorded: the caller revokes it, and the member can ask again at once.
        Assert.Equal(VipEntryOutcome.LinkIssuerFailed, failed.Outcome);
        Assert.Single(failed.LinksToRevoke);
        Assert.Null((await rig.Inner.FindAsync(1))!.GrantTokenHash);
        var again = await rig.Engine.DeliverAccessAsync(1);
        Assert.Equal(VipEntryOutcome.AccessIssued, again.Outcome);
        Assert.DoesNotContain(again.Access!.Link, failed.LinksToRevoke);
    }

    [Fact]
    public async Task Issue10_Fault3_A_link_recorded_whose_answer_was_lost_is_delivered_not_reported_for_revocation()
    {
        await using var rig = await Rig.AtStage3Async();
        var faults = 0;
        rig.Store.AroundGrantWrite = async (write, run) =>
        {
            if (write != "TryRecordLink" || faults++ > 0)
            {
                return await run();
            }

            Assert.True(await run());
            return false;
        };

        var delivered = await rig.Engine.DeliverAccessAsync(1);

        Assert.Equal(VipEntryOutcome.AccessIssued, delivered.Outcome);
        Assert.Empty(delivered.LinksToRevoke);
        Assert.Equal(delivered.Access!.Link, (await rig.Inner.FindAsync(1))!.GrantLink);
    }

    private sealed class Rig : IAsyncDisposable
    {
        private readonly ServiceProvider _provider;

        private Rig()
        {
            Store = new InterceptingStore(Inner);
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(new FakeTimeProvider(TestHost.Start));
            services.AddSingleton<IVipEntryStore>(Store);
            services.AddSingleton<IVipEntryChannelStore>(new InMemoryVipEntryChannelStore());
            services.AddVipEntry().UseLinkIssuer<FakeLinkIssuer>(ServiceLifetime.Singleton);
            _provider = services.BuildServiceProvider();
            Engine = _provider.GetRequiredService<IVipEntryStateMachine>();
        }

        public InMemoryVipEntryStore Inner { get; } = new();

        public InterceptingStore Store { get; }

        public IVipEntryStateMachine Engine { get; }

        public static async Task<Rig> AtStage3Async()
        {
            var rig = new Rig();
            await rig.Engine.ActivateAsync(1, TestHost.Start.AddDays(30));
            await rig.Engine.AdvanceAsync(1, VipEntryStage.ActivationConfirmation);
            Assert.Equal(VipEntryOutcome.Advanced, (await rig.Engine.AdvanceAsync(1, VipEntryStage.ExpectationAlignment)).Outcome);
            return rig;
        }

        public ValueTask DisposeAsync() => _provider.DisposeAsync();
    }
}
