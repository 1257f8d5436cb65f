using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Contract;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Bulk;

/// <summary>
/// <c>ActivateManyAsync</c> applies R1/R2 per member exactly as <c>ActivateAsync</c> does: two groups of subscribers in
/// the same states, one activated in bulk and one member by member, end in the same states with the same outcomes,
/// links to revoke and channel removals; and it is safe while members act at the same time.
/// </summary>
public abstract class BulkActivationTests<TBackend>(TBackend backend) : StoreTestBase<TBackend>(backend)
    where TBackend : StoreBackend
{
    private const long Bulk = 1_000;
    private const long Single = 2_000;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Backend.ReleaseConnections();
    }

    private static string Hash(long id) => id.ToString("D64", CultureInfo.InvariantCulture);

    private static string LinkOf(long id) => "https://t.me/+" + id.ToString(CultureInfo.InvariantCulture);

    // Every state ActivateAsync tells apart, at ids b+1 … b+9 (b+10 … for many plain renewals).
    private async Task ArrangeAsync(long b)
    {
        await EnrollAsync(b + 2);
        Assert.True(await Store().TryAdvanceAsync(b + 2, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, Now));
        await EnrollAtStage3Async(b + 3);
        Assert.True(await Store().TryIssueGrantAsync(b + 3, VipEntryStage.AccessDelivery, null, Hash(b + 3), Now, Now));
        Assert.True(await Store().TryRecordLinkAsync(b + 3, Hash(b + 3), LinkOf(b + 3)));
        await EnrollAsync(b + 4);
        Assert.True(await Store().TrySkipAsync(await GetAsync(b + 4), Now));
        await EnrollAsync(b + 5, TimeSpan.FromDays(1));
        Assert.True(await Store().TrySkipAsync(await GetAsync(b + 5), Now));
        await EnrollAsync(b + 6);
        await EnrollAsync(b + 7);
        await EnrollAsync(b + 8, TimeSpan.FromDays(1));
        Assert.True(await Store().TrySkipAsync(await GetAsync(b + 8), Now));
        Assert.True(await Store().TryIssueGrantAsync(b + 8, VipEntryStage.Completed, null, Hash(b + 8), Now, Now));
        Assert.True(await Store().TryRecordLinkAsync(b + 8, Hash(b + 8), LinkOf(b + 8)));
        await EnrollAsync(b + 9);
        for (var id = b + 10; id < b + 40; id++)
        {
            await EnrollAsync(id);
            Assert.True(await Store().TrySkipAsync(await GetAsync(id), Now));
        }
    }

    private async Task<List<VipEntryActivation>> ActivationsAsync(long b)
    {
        // b+8's lapse is taken in hand by a sweep (its link moves to the lapse).
        Assert.True(await Store().TryClaimLapseAsync(await GetAsync(b + 8), "claim-" + b.ToString(CultureInfo.InvariantCulture), Now, Now.AddMinutes(10)));
        var later = Now.AddDays(40);
        List<VipEntryActivation> list =
        [
            new(b + 1, later), new(b + 2, later), new(b + 3, later), new(b + 4, later), new(b + 5, later),
            new(b + 6, (await GetAsync(b + 6)).SubscriptionEndsAt), new(b + 7, Now.AddHours(-1)), new(b + 8, later),
            new(b + 9, later), new(b + 9, later.AddDays(10)),
        ];
        for (var id = b + 10; id < b + 40; id++)
        {
            list.Add(new(id, later.AddTicks(id)));
        }

        return list;
    }

    private static string Shape(VipEntryRecord? r, long b) => r is null
        ? "none"
        : (r.SubscriberId - b, r.Stage, r.SubscriptionEndsAt, r.GrantTokenHash is null, r.GrantIssuedAt, r.GrantLink is null, r.LapseHandledAt,
            r.LapseClaimId is null, r.LapseLeaseUntil, r.LapseLink is null, r.StageEnteredAt, r.StageNudgedAt, r.GrantNudgedAt).ToString();

    [Fact]
    public async Task Bulk_activation_does_per_member_what_activate_does()
    {
        await ArrangeAsync(Bulk);
        await ArrangeAsync(Single);
        Clock.Advance(TimeSpan.FromDays(2));

        var bulk = await Machine().ActivateManyAsync(await ActivationsAsync(Bulk));
        var singles = new List<VipEntryResult>();
        foreach (var a in await ActivationsAsync(Single))
        {
            singles.Add(await Machine().ActivateAsync(a.SubscriberId, a.SubscriptionEndsAt));
        }

        var expected = singles.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected.OrderBy(p => p.Key), bulk.Counts.OrderBy(p => p.Key));
        Assert.Equal(40, bulk.Total);
        Assert.Equal(
            singles.SelectMany(r => r.LinksToRevoke).Select(l => long.Parse(l[14..], CultureInfo.InvariantCulture) - Single).Order(),
            bulk.LinksToRevoke.Select(l => long.Parse(l[14..], CultureInfo.InvariantCulture) - Bulk).Order());
        Assert.Equal(singles.Where(r => r.RemoveFromChannel).Select(r => r.SubscriberId - Single).Order(), bulk.RemoveFromChannel.Select(id => id - Bulk).Order());
        for (long i = 1; i < 40; i++)
        {
            Assert.Equal(Shape(await Store().FindAsync(Single + i), Single), Shape(await Store().FindAsync(Bulk + i), Bulk));
        }

        // The states the rules say (the single path is the reference; these pin that the arrangement covers them).
        Assert.Equal(Backend.CanCreate ? 1 : 0, bulk.Count(VipEntryOutcome.Started));
        Assert.Equal(Backend.CanCreate ? 0 : 1, bulk.Count(VipEntryOutcome.NotEnrolled));
        Assert.Equal(1, bulk.Count(VipEntryOutcome.AtStage));
        Assert.Equal(1, bulk.Count(VipEntryOutcome.SubscriptionExpired));
        Assert.Equal(31, bulk.Count(VipEntryOutcome.Renewed));
        Assert.Equal(6, bulk.Count(VipEntryOutcome.Restarted));
        Assert.Equal([LinkOf(Bulk + 3), LinkOf(Bulk + 8)], bulk.LinksToRevoke.Order());
        Assert.Equal([Bulk + 5], bulk.RemoveFromChannel);
        Assert.Equal(Now.AddDays(50), (await GetAsync(Bulk + 9)).SubscriptionEndsAt);
    }

    /// <summary>
    /// Issue 14, defect 7: the renewal statement's RETURNING gives the id as the column stores it. A host whose id property
    /// has a value converter (text on the ConvertedId backends) made the store read it as a raw integer: an
    /// InvalidCastException after the UPDATE had committed, so the caller lost the links to revoke and the members to remove.
    /// Every returned value is read through its property's mapping (converter included).
    /// </summary>
    [Fact]
    public async Task Issue14_Defect7_BulkRenewal_OnAHostEntityWithAnIdConverter_ReturnsItsLinksAndRemovals()
    {
        const long B = 3_000;
        await EnrollAtStage3Async(B + 1);   // mid-ritual with a recorded link: restarted, the link to revoke
        Assert.True(await Store().TryIssueGrantAsync(B + 1, VipEntryStage.AccessDelivery, null, Hash(B + 1), Now, Now));
        Assert.True(await Store().TryRecordLinkAsync(B + 1, Hash(B + 1), LinkOf(B + 1)));
        await EnrollAsync(B + 2, TimeSpan.FromDays(1));   // completed, then lapsed: restarted and removed from the channel
        Assert.True(await Store().TrySkipAsync(await GetAsync(B + 2), Now));
        await EnrollAsync(B + 3);   // completed and still entitled: a plain renewal
        Assert.True(await Store().TrySkipAsync(await GetAsync(B + 3), Now));
        Clock.Advance(TimeSpan.FromDays(2));
        var ends = Now.AddDays(40);

        var result = await Machine().ActivateManyAsync([new(B + 1, ends), new(B + 2, ends), new(B + 3, ends)]);

        Assert.Equal(3, result.Total);
        Assert.Equal(2, result.Count(VipEntryOutcome.Restarted));
        Assert.Equal(1, result.Count(VipEntryOutcome.Renewed));
        Assert.Equal([LinkOf(B + 1)], result.LinksToRevoke);
        Assert.Equal([B + 2], result.RemoveFromChannel);
        foreach (var id in (long[])[B + 1, B + 2, B + 3])
        {
            Assert.Equal(ends, (await GetAsync(id)).SubscriptionEndsAt);
        }

        Assert.Equal(VipEntryStage.ActivationConfirmation, (await GetAsync(B + 1)).Stage);
        Assert.Null((await GetAsync(B + 1)).GrantLink);
        Assert.Equal(VipEntryStage.Completed, (await GetAsync(B + 3)).Stage);

        // The funnel reads the stage back from a raw statement too.
        var funnel = await Store().CountByStageAsync(Now);
        Assert.Equal(2, funnel[VipEntryStage.ActivationConfirmation]);
        Assert.Equal(1, funnel[VipEntryStage.Completed]);

        // A retried import renews nothing twice and reports nothing again.
        var again = await Machine().ActivateManyAsync([new(B + 1, ends), new(B + 2, ends), new(B + 3, ends)]);
        Assert.Empty(again.LinksToRevoke);
        Assert.Empty(again.RemoveFromChannel);
    }

    [Fact]
    public async Task Bulk_activation_of_an_empty_list_does_nothing()
    {
        var result = await Machine().ActivateManyAsync([]);
        Assert.Equal(0, result.Total);
        Assert.Empty(result.LinksToRevoke);
    }

    [Fact]
    public async Task Bulk_activation_spans_batches_and_a_retried_import_changes_nothing()
    {
        const int Members = 1_234;
        var ends = Now.AddDays(30);
        if (!Backend.CanCreate)
        {
            for (long id = 1; id <= Members; id++)
            {
                await Backend.SeedHostRowAsync(Provider, id, Now.AddDays(1));
            }
        }

        var list = Enumerable.Range(1, Members).Select(i => new VipEntryActivation(i, ends)).ToList();
        var first = await Machine().ActivateManyAsync(list);
        Assert.Equal(Members, first.Count(Backend.CanCreate ? VipEntryOutcome.Started : VipEntryOutcome.Restarted));
        var again = await Machine().ActivateManyAsync(list);
        Assert.Equal(Members, again.Count(VipEntryOutcome.AtStage));
        Assert.Equal(Members, (await Store().CountByStageAsync(Now))[VipEntryStage.ActivationConfirmation]);
    }

    /// <summary>
    /// Members record their grant's link while a bulk activation restarts them: a link recorded before a member's restart is
    /// reported to revoke (never dropped unreported), and every member ends restarted, with the new end and no grant.
    /// </summary>
    [Fact]
    public async Task Bulk_activation_racing_members_never_drops_a_recorded_link()
    {
        const int Members = 120;
        for (long id = 1; id <= Members; id++)
        {
            await EnrollAtStage3Async(id);
            Assert.True(await Store().TryIssueGrantAsync(id, VipEntryStage.AccessDelivery, null, Hash(id), Now, Now));
        }

        var ends = Now.AddDays(60);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scopes = Enumerable.Range(0, 5).Select(_ => Provider.CreateAsyncScope()).ToList();
        try
        {
            foreach (var scope in scopes)
            {
                await Backend.WarmUpAsync(scope.ServiceProvider);
            }

            var bulkTask = Task.Run(async () =>
            {
                await gate.Task;
                return await scopes[0].ServiceProvider.GetRequiredService<IVipEntryStateMachine>()
                    .ActivateManyAsync(Enumerable.Range(1, Members).Select(i => new VipEntryActivation(i, ends)));
            });
            var recorders = Enumerable.Range(1, 4).Select(worker => Task.Run(async () =>
            {
                await gate.Task;
                var store = scopes[worker].ServiceProvider.GetRequiredService<IVipEntryStore>();
                var recorded = new List<string>();
                for (long id = worker; id <= Members; id += 4)
                {
                    if (await store.TryRecordLinkAsync(id, Hash(id), LinkOf(id)))
                    {
                        recorded.Add(LinkOf(id));
                    }
                }

                return recorded;
            })).ToList();
            gate.SetResult();
            var result = await bulkTask;
            var recordedLinks = (await Task.WhenAll(recorders)).SelectMany(l => l).ToHashSet();

            Assert.Equal(Members, result.Count(VipEntryOutcome.Restarted));
            Assert.Subset(result.LinksToRevoke.ToHashSet(), recordedLinks);
            Assert.Equal(recordedLinks.Count, result.LinksToRevoke.Count);
            for (long id = 1; id <= Members; id++)
            {
                var r = await GetAsync(id);
                Assert.Equal(VipEntryStage.ActivationConfirmation, r.Stage);
                Assert.Equal(ends, r.SubscriptionEndsAt);
                Assert.Null(r.GrantTokenHash);
                Assert.Null(r.GrantLink);
            }
        }
        finally
        {
            foreach (var scope in scopes)
            {
                await scope.DisposeAsync();
            }
        }
    }

    /// <summary>Members press their stage-1 button while a bulk renewal restarts them: nothing is lost either way.</summary>
    [Fact]
    public async Task Bulk_activation_racing_button_presses_keeps_every_member_consistent()
    {
        const int Members = 120;
        for (long id = 1; id <= Members; id++)
        {
            await EnrollAsync(id);
        }

        var ends = Now.AddDays(60);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scopes = Enumerable.Range(0, 5).Select(_ => Provider.CreateAsyncScope()).ToList();
        try
        {
            foreach (var scope in scopes)
            {
                await Backend.WarmUpAsync(scope.ServiceProvider);
            }

            var bulkTask = Task.Run(async () =>
            {
                await gate.Task;
                return await scopes[0].ServiceProvider.GetRequiredService<IVipEntryStateMachine>()
                    .ActivateManyAsync(Enumerable.Range(1, Members).Select(i => new VipEntryActivation(i, ends)));
            });
            var pressers = Enumerable.Range(1, 4).Select(worker => Task.Run(async () =>
            {
                await gate.Task;
                var machine = scopes[worker].ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
                var advanced = new List<long>();
                for (long id = worker; id <= Members; id += 4)
                {
                    if ((await machine.AdvanceAsync(id, VipEntryStage.ActivationConfirmation)).Outcome == VipEntryOutcome.Advanced)
                    {
                        advanced.Add(id);
                    }
                }

                return advanced;
            })).ToList();
            gate.SetResult();
            var result = await bulkTask;
            var advancedIds = (await Task.WhenAll(pressers)).SelectMany(l => l).ToHashSet();

            // Mid-ritual either way, so every member restarts (R2) exactly once.
            Assert.Equal(Members, result.Count(VipEntryOutcome.Restarted));
            for (long id = 1; id <= Members; id++)
            {
                var r = await GetAsync(id);
                Assert.Equal(ends, r.SubscriptionEndsAt);

                // At stage 2 only if the press won after the restart; never a press that was reported and lost unseen.
                Assert.True(r.Stage == VipEntryStage.ActivationConfirmation || (r.Stage == VipEntryStage.ExpectationAlignment && advancedIds.Contains(id)));
            }
        }
        finally
        {
            foreach (var scope in scopes)
            {
                await scope.DisposeAsync();
            }
        }
    }
}

public sealed class InMemoryBulkActivationTests(InMemoryBackend backend) : BulkActivationTests<InMemoryBackend>(backend);

public sealed class SqliteReadyMadeBulkActivationTests(SqliteReadyMadeBackend backend) : BulkActivationTests<SqliteReadyMadeBackend>(backend);

public sealed class SqliteHostEntityBulkActivationTests(SqliteLegacyBackend backend) : BulkActivationTests<SqliteLegacyBackend>(backend);

[Collection(HeavyPostgres.Name)]
public sealed class PostgresReadyMadeBulkActivationTests(PostgresReadyMadeBackend backend) : BulkActivationTests<PostgresReadyMadeBackend>(backend);

[Collection(HeavyPostgres.Name)]
public sealed class PostgresHostEntityBulkActivationTests(PostgresLegacyBackend backend) : BulkActivationTests<PostgresLegacyBackend>(backend);

public sealed class SqliteConvertedIdBulkActivationTests(SqliteConvertedIdBackend backend) : BulkActivationTests<SqliteConvertedIdBackend>(backend);

[Collection(HeavyPostgres.Name)]
public sealed class PostgresConvertedIdBulkActivationTests(PostgresConvertedIdBackend backend) : BulkActivationTests<PostgresConvertedIdBackend>(backend);
