using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Contract;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Concurrency;

/// <summary>
/// Exactly-once under contention: <see cref="Contexts"/> separate DbContexts (separate connections) released together
/// race on the same subscriber, <see cref="Rounds"/> times per scenario; exactly one wins and losers get the right result.
/// </summary>
public abstract class ConcurrencyTests<TBackend>(TBackend backend) : StoreTestBase<TBackend>(backend)
    where TBackend : StoreBackend
{
    public const int Contexts = 32;
    public const int Rounds = 3;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Backend.ReleaseConnections();
    }

    private async Task<T[]> RaceAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        var scopes = new AsyncServiceScope[Contexts];
        try
        {
            for (var i = 0; i < Contexts; i++)
            {
                scopes[i] = Provider.CreateAsyncScope();
                await Backend.WarmUpAsync(scopes[i].ServiceProvider);
                _ = scopes[i].ServiceProvider.GetRequiredService<IVipEntryStore>();
                _ = scopes[i].ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
            }

            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tasks = scopes.Select(scope => Task.Run(async () =>
            {
                await gate.Task;
                return await action(scope.ServiceProvider);
            })).ToArray();
            gate.SetResult();
            return await Task.WhenAll(tasks);
        }
        finally
        {
            // Each racer held its own open connection; give them back before the next round.
            foreach (var scope in scopes)
            {
                await scope.DisposeAsync();
            }
        }
    }

    private static IVipEntryStore StoreOf(IServiceProvider sp) => sp.GetRequiredService<IVipEntryStore>();

    private static IVipEntryStateMachine MachineOf(IServiceProvider sp) => sp.GetRequiredService<IVipEntryStateMachine>();

    [Fact]
    public async Task Advance_race_on_the_raw_store_has_one_winner()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            await EnrollAsync(round);
            var results = await RaceAsync(async sp => await StoreOf(sp).TryAdvanceAsync(round, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, Now));
            Assert.Equal(1, results.Count(r => r));
            Assert.Equal(VipEntryStage.ExpectationAlignment, (await GetAsync(round)).Stage);
        }
    }

    [Fact]
    public async Task Advance_race_through_the_state_machine_has_one_winner_and_stale_losers()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            await EnrollAsync(round);
            var results = await RaceAsync(async sp => await MachineOf(sp).AdvanceAsync(round, VipEntryStage.ActivationConfirmation));
            Assert.Single(results, r => r.Outcome == VipEntryOutcome.Advanced);
            Assert.All(results.Where(r => r.Outcome != VipEntryOutcome.Advanced), r =>
            {
                Assert.Equal(VipEntryOutcome.StaleStage, r.Outcome);
                Assert.Equal(VipEntryStage.ExpectationAlignment, r.Stage);
            });
        }
    }

    [Fact]
    public async Task Issue_race_on_the_raw_store_mints_one_grant()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            await EnrollAtStage3Async(round);
            var hashes = Enumerable.Range(0, Contexts).Select(i => $"{round:x2}{i:x2}".PadRight(64, 'f')).ToArray();
            var index = 0;
            var results = await RaceAsync(async sp =>
            {
                var hash = hashes[Interlocked.Increment(ref index) - 1];
                return (Won: await StoreOf(sp).TryIssueGrantAsync(round, VipEntryStage.AccessDelivery, null, hash, Now, Now), Hash: hash);
            });
            var winner = Assert.Single(results, r => r.Won);
            Assert.Equal(winner.Hash, (await GetAsync(round)).GrantTokenHash);
        }
    }

    [Fact]
    public async Task Issue_race_through_the_state_machine_delivers_one_link()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            await EnrollAtStage3Async(round);
            var results = await RaceAsync(async sp => await MachineOf(sp).DeliverAccessAsync(round));
            var winner = Assert.Single(results, r => r.Outcome == VipEntryOutcome.AccessIssued);
            Assert.All(results.Where(r => r != winner), r => Assert.Equal(VipEntryOutcome.AccessAlreadyDelivered, r.Outcome));
            Assert.NotNull(await Store().FindByTokenHashAsync((await GetAsync(round)).GrantTokenHash!));
        }
    }

    [Fact]
    public async Task Redeem_race_on_the_raw_store_completes_once()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            await EnrollAtStage3Async(round);
            var hash = $"{round:x2}".PadRight(64, 'e');
            Assert.True(await Store().TryIssueGrantAsync(round, VipEntryStage.AccessDelivery, null, hash, Now, Now));
            var results = await RaceAsync(async sp => await StoreOf(sp).TryRedeemAsync(round, VipEntryStage.AccessDelivery, hash, Now, Now.AddDays(-1)));
            Assert.Equal(1, results.Count(r => r));
            Assert.Equal(VipEntryStage.Completed, (await GetAsync(round)).Stage);
        }
    }

    [Fact]
    public async Task Redeem_race_through_the_state_machine_redeems_the_same_token_once()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            await EnrollAtStage3Async(round);
            var token = (await Machine().DeliverAccessAsync(round)).Access!.Link;
            var results = await RaceAsync(async sp => await MachineOf(sp).RedeemTokenAsync(round, token));
            Assert.Single(results, r => r.Outcome == VipEntryOutcome.Redeemed);
            Assert.All(results.Where(r => r.Outcome != VipEntryOutcome.Redeemed), r =>
            {
                Assert.Equal(VipEntryOutcome.AlreadyCompleted, r.Outcome);
                Assert.Equal(VipEntryStage.Completed, r.Stage);
            });
        }
    }
}
