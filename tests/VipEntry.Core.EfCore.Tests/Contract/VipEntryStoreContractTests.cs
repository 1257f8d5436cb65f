using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Tokens;

namespace VipEntry.Core.EfCore.Tests.Contract;

/// <summary>
/// The store contract (like ASP.NET Core Identity's specification tests): every condition of every
/// <c>IVipEntryStore</c> operation, and every storage-touching rule R1–R15 through the real state machine.
/// Run against each store by a one-line subclass.
/// </summary>
public abstract class VipEntryStoreContractTests<TBackend>(TBackend backend) : StoreTestBase<TBackend>(backend)
    where TBackend : StoreBackend
{
    private const VipEntryStage S1 = VipEntryStage.ActivationConfirmation;
    private const VipEntryStage S2 = VipEntryStage.ExpectationAlignment;
    private const VipEntryStage S3 = VipEntryStage.AccessDelivery;

    // ---- store: reads and create -------------------------------------------------------------

    [Fact]
    public async Task Find_unknown_subscriber_returns_null()
    {
        Assert.Null(await Store().FindAsync(404));
        Assert.Null(await Store().FindByTokenHashAsync(HashOf('a')));
        Assert.Null(await Store().FindByLinkAsync("https://t.me/+nothing"));
    }

    [Fact]
    public async Task Create_enrolls_at_stage1_with_the_end_or_leaves_inserts_to_the_host()
    {
        var ends = Now.AddDays(30);
        var created = await Store().TryCreateAsync(1, ends);
        Assert.Equal(Backend.CanCreate, created);
        if (!Backend.CanCreate)
        {
            Assert.Null(await Store().FindAsync(1));
            await Backend.SeedHostRowAsync(Provider, 1, ends);
        }

        var r = await GetAsync(1);
        Assert.Equal(S1, r.Stage);
        Assert.Equal(ends, r.SubscriptionEndsAt);
        Assert.Null(r.GrantTokenHash);
        Assert.Null(r.GrantIssuedAt);
        Assert.Null(r.GrantLink);
        Assert.Null(r.LapseHandledAt);
    }

    [Fact]
    public async Task Create_of_an_existing_subscriber_returns_false_and_changes_nothing()
    {
        await EnrollAsync(1);
        Assert.True(await Store().TryAdvanceAsync(1, S1, S2, Now));
        Assert.False(await Store().TryCreateAsync(1, Now.AddDays(90)));
        var r = await GetAsync(1);
        Assert.Equal(S2, r.Stage);
        Assert.Equal(Now.AddDays(30), r.SubscriptionEndsAt);
    }

    // ---- store: advance ----------------------------------------------------------------------

    [Fact]
    public async Task Advance_is_compare_and_set_on_the_stage()
    {
        await EnrollAsync(1);
        Assert.True(await Store().TryAdvanceAsync(1, S1, S2, Now));
        Assert.False(await Store().TryAdvanceAsync(1, S1, S2, Now));
        Assert.Equal(S2, (await GetAsync(1)).Stage);
        Assert.False(await Store().TryAdvanceAsync(1, S3, VipEntryStage.Completed, Now));
        Assert.True(await Store().TryAdvanceAsync(1, S2, S3, Now));
        Assert.Equal(S3, (await GetAsync(1)).Stage);
        Assert.False(await Store().TryAdvanceAsync(2, S1, S2, Now));
    }

    [Fact]
    public async Task Advance_is_blocked_from_the_instant_the_subscription_ends()
    {
        await EnrollAsync(1, TimeSpan.FromHours(1));
        var end = Now.AddHours(1);
        Assert.False(await Store().TryAdvanceAsync(1, S1, S2, end));
        Assert.False(await Store().TryAdvanceAsync(1, S1, S2, end.AddDays(3)));
        Assert.Equal(S1, (await GetAsync(1)).Stage);
        Assert.True(await Store().TryAdvanceAsync(1, S1, S2, end.AddSeconds(-1)));
    }

    // ---- store: grants -----------------------------------------------------------------------

    [Fact]
    public async Task Issue_requires_stage3_and_an_active_subscription()
    {
        await EnrollAsync(1, TimeSpan.FromHours(1));
        Assert.False(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('a'), Now, Now));
        Assert.True(await Store().TryAdvanceAsync(1, S1, S2, Now));
        Assert.False(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('a'), Now, Now));
        Assert.True(await Store().TryAdvanceAsync(1, S2, S3, Now));
        Assert.False(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('a'), Now.AddHours(1), Now.AddHours(1)));
        Assert.Null((await GetAsync(1)).GrantTokenHash);

        Assert.True(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('a'), Now, Now));
        var r = await GetAsync(1);
        Assert.Equal(HashOf('a'), r.GrantTokenHash);
        Assert.Equal(Now, r.GrantIssuedAt);
        Assert.Null(r.GrantLink);
    }

    [Fact]
    public async Task Issue_compares_the_current_grant_and_honours_the_cooldown()
    {
        await EnrollAtStage3Async(1);
        var issuedAt = Now;
        Assert.True(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('a'), issuedAt, issuedAt));
        Assert.False(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('b'), Now, Now));
        Assert.False(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, HashOf('z'), HashOf('b'), Now, Now));
        Assert.True(await Store().TryRecordLinkAsync(1, HashOf('a'), "https://t.me/+old"));

        // Replace only when the current grant was issued at or before the cooldown edge.
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, HashOf('a'), HashOf('b'), Now, issuedAt.AddTicks(-TimeSpan.TicksPerSecond)));
        Assert.True(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, HashOf('a'), HashOf('b'), Now, issuedAt));
        var r = await GetAsync(1);
        Assert.Equal(HashOf('b'), r.GrantTokenHash);
        Assert.Equal(Now, r.GrantIssuedAt);
        Assert.Null(r.GrantLink);
        Assert.Null(await Store().FindByTokenHashAsync(HashOf('a')));
        Assert.Null(await Store().FindByLinkAsync("https://t.me/+old"));
    }

    [Fact]
    public async Task Issue_of_a_hash_held_by_another_grant_returns_false()
    {
        await EnrollAtStage3Async(1);
        await EnrollAtStage3Async(2);
        Assert.True(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('a'), Now, Now));
        Assert.False(await Store().TryIssueGrantAsync(2, VipEntryStage.AccessDelivery, null, HashOf('a'), Now, Now));
        Assert.Null((await GetAsync(2)).GrantTokenHash);
        Assert.Equal(1, (await Store().FindByTokenHashAsync(HashOf('a')))!.SubscriberId);
    }

    [Fact]
    public async Task Record_link_only_for_the_current_grant_once_and_unique()
    {
        await EnrollAtStage3Async(1);
        await EnrollAtStage3Async(2);
        Assert.True(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('a'), Now, Now));
        Assert.True(await Store().TryIssueGrantAsync(2, VipEntryStage.AccessDelivery, null, HashOf('b'), Now, Now));
        Assert.False(await Store().TryRecordLinkAsync(1, HashOf('b'), "https://t.me/+one"));
        Assert.True(await Store().TryRecordLinkAsync(1, HashOf('a'), "https://t.me/+one"));
        Assert.False(await Store().TryRecordLinkAsync(1, HashOf('a'), "https://t.me/+again"));
        Assert.False(await Store().TryRecordLinkAsync(2, HashOf('b'), "https://t.me/+one"));
        Assert.Null((await GetAsync(2)).GrantLink);
        Assert.Equal(1, (await Store().FindByLinkAsync("https://t.me/+one"))!.SubscriberId);
    }

    [Fact]
    public async Task Withdraw_clears_a_grant_without_link_only()
    {
        await EnrollAtStage3Async(1);
        Assert.True(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('a'), Now, Now));
        Assert.False(await Store().TryWithdrawGrantAsync(1, HashOf('b')));
        Assert.True(await Store().TryWithdrawGrantAsync(1, HashOf('a')));
        var r = await GetAsync(1);
        Assert.Null(r.GrantTokenHash);
        Assert.Null(r.GrantIssuedAt);
        Assert.Equal(S3, r.Stage);

        Assert.True(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('c'), Now, Now));
        Assert.True(await Store().TryRecordLinkAsync(1, HashOf('c'), "https://t.me/+c"));
        Assert.False(await Store().TryWithdrawGrantAsync(1, HashOf('c')));
        Assert.Equal(HashOf('c'), (await GetAsync(1)).GrantTokenHash);
    }

    // ---- store: redeem, skip -----------------------------------------------------------------

    [Fact]
    public async Task Redeem_completes_exactly_once_and_clears_the_grant()
    {
        await EnrollAtStage3Async(1);
        var issued = Now;
        Assert.True(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('a'), issued, issued));
        Assert.True(await Store().TryRecordLinkAsync(1, HashOf('a'), "https://t.me/+a"));
        Assert.False(await Store().TryRedeemAsync(1, VipEntryStage.AccessDelivery, HashOf('b'), Now, issued.AddDays(-1)));
        Assert.False(await Store().TryRedeemAsync(2, VipEntryStage.AccessDelivery, HashOf('a'), Now, issued.AddDays(-1)));
        Assert.True(await Store().TryRedeemAsync(1, VipEntryStage.AccessDelivery, HashOf('a'), Now, issued.AddDays(-1)));
        Assert.False(await Store().TryRedeemAsync(1, VipEntryStage.AccessDelivery, HashOf('a'), Now, issued.AddDays(-1)));
        var r = await GetAsync(1);
        Assert.Equal(VipEntryStage.Completed, r.Stage);
        Assert.Null(r.GrantTokenHash);
        Assert.Null(r.GrantIssuedAt);
        Assert.Null(r.GrantLink);
        Assert.Null(await Store().FindByLinkAsync("https://t.me/+a"));
    }

    [Fact]
    public async Task Redeem_refuses_an_expired_grant_and_an_ended_subscription()
    {
        await EnrollAtStage3Async(1, TimeSpan.FromHours(2));
        var issued = Now;
        Assert.True(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('a'), issued, issued));
        Assert.False(await Store().TryRedeemAsync(1, VipEntryStage.AccessDelivery, HashOf('a'), Now, issuedAfter: issued));
        Assert.False(await Store().TryRedeemAsync(1, VipEntryStage.AccessDelivery, HashOf('a'), Now.AddHours(2), issuedAfter: issued.AddDays(-1)));
        Assert.Equal(S3, (await GetAsync(1)).Stage);
        Assert.True(await Store().TryRedeemAsync(1, VipEntryStage.AccessDelivery, HashOf('a'), Now.AddHours(2).AddSeconds(-1), issuedAfter: issued.AddSeconds(-1)));
    }

    [Fact]
    public async Task Skip_completes_from_the_named_stage_and_clears_the_grant()
    {
        await EnrollAtStage3Async(1);
        Assert.True(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('a'), Now, Now));
        var read = await GetAsync(1);
        Assert.False(await Store().TrySkipAsync(read with { Stage = S1 }, Now));
        Assert.False(await Store().TrySkipAsync(read with { GrantTokenHash = null }, Now));
        Assert.True(await Store().TryRecordLinkAsync(1, HashOf('a'), "https://t.me/+recorded-after-the-read"));
        Assert.False(await Store().TrySkipAsync(read, Now)); // the link recorded since the read must not be dropped unreported
        Assert.False(await Store().TrySkipAsync(await GetAsync(1), Now.AddDays(400))); // ended subscription
        Assert.True(await Store().TrySkipAsync(await GetAsync(1), Now));
        var r = await GetAsync(1);
        Assert.Equal(VipEntryStage.Completed, r.Stage);
        Assert.Null(r.GrantTokenHash);
        Assert.Null(r.GrantLink);
        Assert.False(await Store().TrySkipAsync(read with { SubscriberId = 2 }, Now));
    }

    // ---- store: renew, lapse, funnel ---------------------------------------------------------

    [Fact]
    public async Task Renew_compares_stage_grant_and_lapse_and_restarts_when_asked()
    {
        await EnrollAtStage3Async(1);
        Assert.True(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('a'), Now, Now));
        var read = await GetAsync(1);
        Assert.False(await Store().TryRenewAsync(read with { Stage = S2 }, Now.AddDays(60), restart: true));
        Assert.False(await Store().TryRenewAsync(read with { GrantTokenHash = null }, Now.AddDays(60), restart: true));
        Assert.False(await Store().TryRenewAsync(read with { LapseHandledAt = Now }, Now.AddDays(60), restart: true));
        Assert.Equal(read, await GetAsync(1));

        Assert.True(await Store().TryRenewAsync(read, Now.AddDays(60), restart: true));
        var r = await GetAsync(1);
        Assert.Equal(S1, r.Stage);
        Assert.Equal(Now.AddDays(60), r.SubscriptionEndsAt);
        Assert.Null(r.GrantTokenHash);
        Assert.Null(r.GrantIssuedAt);
        Assert.False(await Store().TryRenewAsync(read, Now.AddDays(90), restart: false));
    }

    [Fact]
    public async Task Renew_without_restart_keeps_the_stage_and_clears_the_lapse()
    {
        await EnrollAsync(1, TimeSpan.FromDays(1));
        Assert.True(await Store().TrySkipAsync(await GetAsync(1), Now));
        Clock.Advance(TimeSpan.FromDays(2));
        var lapsed = await GetAsync(1);
        Assert.True(await ClaimAndConfirmLapseAsync(lapsed));
        var marked = await GetAsync(1);
        Assert.Equal(Now, marked.LapseHandledAt);
        Assert.True(await Store().TryRenewAsync(marked, Now.AddDays(30), restart: false));
        var r = await GetAsync(1);
        Assert.Equal(VipEntryStage.Completed, r.Stage);
        Assert.Null(r.LapseHandledAt);
        Assert.Equal(Now.AddDays(30), r.SubscriptionEndsAt);
    }

    [Fact]
    public async Task Renew_fails_when_a_sweep_recorded_the_lapse_after_the_read()
    {
        await EnrollAsync(1, TimeSpan.FromDays(1));
        Assert.True(await Store().TrySkipAsync(await GetAsync(1), Now));
        Clock.Advance(TimeSpan.FromDays(2));
        var readByRenewal = await GetAsync(1);
        Assert.True(await ClaimAndConfirmLapseAsync(readByRenewal));

        Assert.False(await Store().TryRenewAsync(readByRenewal, Now.AddDays(30), restart: false));
        var r = await GetAsync(1);
        Assert.Equal(Now, r.LapseHandledAt);
        Assert.Equal(VipEntryStage.Completed, r.Stage);
    }

    [Fact]
    public async Task Lapses_are_listed_oldest_first_in_bounded_batches_and_marked_once()
    {
        await EnrollAsync(1, TimeSpan.FromDays(3));
        await EnrollAsync(2, TimeSpan.FromDays(1));
        await EnrollAsync(3, TimeSpan.FromDays(2));
        await EnrollAsync(4, TimeSpan.FromDays(30));
        Clock.Advance(TimeSpan.FromDays(3));

        var all = await Store().ListClaimableLapsesAsync(Now, 10);
        Assert.Equal([2L, 3L, 1L], all.Select(r => r.SubscriberId));
        var batch = await Store().ListClaimableLapsesAsync(Now, 2);
        Assert.Equal([2L, 3L], batch.Select(r => r.SubscriberId));

        Assert.True(await ClaimAndConfirmLapseAsync(batch[0]));
        Assert.False(await ClaimAndConfirmLapseAsync(batch[0]));
        Assert.Equal([3L, 1L], (await Store().ListClaimableLapsesAsync(Now, 10)).Select(r => r.SubscriberId));
    }

    [Fact]
    public async Task Issue16_Claim_lapses_takes_a_bounded_oldest_first_batch_moves_the_link_and_tells_reclaims_apart()
    {
        var odd = TimeSpan.FromTicks(1234560);
        await EnrollAtStage3Async(1, TimeSpan.FromDays(3) + odd);
        Assert.True(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('a'), Now, Now));
        Assert.True(await Store().TryRecordLinkAsync(1, HashOf('a'), "https://t.me/+one"));
        await EnrollAsync(2, TimeSpan.FromDays(1) + odd);
        await EnrollAsync(3, TimeSpan.FromDays(2) + odd);
        await EnrollAsync(4, TimeSpan.FromDays(30));
        Clock.Advance(TimeSpan.FromDays(3) + odd);
        var lease = Now.AddMinutes(10).AddTicks(1230);

        var first = await Store().ClaimLapsesAsync("claim-a", "reclaim-a", Now, lease, 2);
        Assert.Equal([2L, 3L], first.Select(r => r.SubscriberId));
        Assert.All(first, r => Assert.Equal("claim-a", r.LapseClaimId));
        Assert.All(first, r => Assert.Equal(lease, r.LapseLeaseUntil));

        // A held lease is not claimable; the rest of the batch is member 1, whose grant's link moves to the lapse.
        var second = await Store().ClaimLapsesAsync("claim-b", "reclaim-b", Now, lease, 10);
        var one = Assert.Single(second);
        Assert.Equal(1L, one.SubscriberId);
        Assert.Equal("claim-b", one.LapseClaimId);
        Assert.Equal("https://t.me/+one", one.LapseLink);
        Assert.Null(one.GrantLink);
        Assert.Null(one.GrantTokenHash);
        Assert.Equal(S3, one.Stage);
        var stored = await GetAsync(1);
        Assert.Equal("claim-b", stored.LapseClaimId);
        Assert.Equal("https://t.me/+one", stored.LapseLink);
        Assert.Null(stored.GrantLink);
        Assert.Null(stored.GrantTokenHash);
        Assert.Empty(await Store().ClaimLapsesAsync("claim-c", "reclaim-c", Now, lease, 10));

        // Member 2 confirms; after the leases run out, 1 and 3 are claimed again under the reclaim id, keeping 1's link.
        Assert.True(await Store().TryConfirmLapseAsync(2, "claim-a", Now));
        Clock.Advance(TimeSpan.FromMinutes(11));
        var again = await Store().ClaimLapsesAsync("claim-d", "reclaim-d", Now, Now.AddMinutes(10), 10);
        Assert.Equal([3L, 1L], again.Select(r => r.SubscriberId));
        Assert.All(again, r => Assert.Equal("reclaim-d", r.LapseClaimId));
        Assert.Equal("https://t.me/+one", again[1].LapseLink);
        Assert.False(await Store().TryConfirmLapseAsync(1, "claim-b", Now));
        Assert.True(await Store().TryConfirmLapseAsync(1, "reclaim-d", Now));
        Assert.Equal(Now, (await GetAsync(1)).LapseHandledAt);
        Assert.Null((await GetAsync(4)).LapseClaimId);
    }

    [Fact]
    public async Task Issue16_Two_workers_claiming_lapses_at_once_get_disjoint_batches_that_cover_every_lapse()
    {
        const int lapsed = 50;
        for (var id = 1; id <= lapsed; id++)
        {
            await EnrollAsync(id, TimeSpan.FromDays(1) + TimeSpan.FromTicks(id * 7));
        }

        await EnrollAsync(lapsed + 1, TimeSpan.FromDays(30));
        Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromTicks(1234560));
        var scopes = Enumerable.Range(0, 2).Select(_ => NewScope()).ToArray();
        foreach (var scope in scopes)
        {
            await Backend.WarmUpAsync(scope);
        }

        var now = Now;
        using var gate = new SemaphoreSlim(0);
        var workers = scopes.Select((scope, i) => Task.Run(async () =>
        {
            var store = scope.GetRequiredService<IVipEntryStore>();
            await gate.WaitAsync();
            var claimed = new List<VipEntryRecord>();
            IReadOnlyList<VipEntryRecord> batch;
            do
            {
                batch = await store.ClaimLapsesAsync($"claim-{i}", $"reclaim-{i}", now, now.AddMinutes(10), 7);
                claimed.AddRange(batch);
            }
            while (batch.Count > 0);
            return claimed;
        })).ToArray();
        gate.Release(2);
        var results = await Task.WhenAll(workers);
        Backend.ReleaseConnections();

        var a = results[0].Select(r => r.SubscriberId).ToHashSet();
        var b = results[1].Select(r => r.SubscriberId).ToHashSet();
        Assert.Equal(results[0].Count, a.Count);
        Assert.Equal(results[1].Count, b.Count);
        Assert.Empty(a.Intersect(b));
        Assert.Equal(Enumerable.Range(1, lapsed).Select(i => (long)i), a.Union(b).Order());
        Assert.All(results[0], r => Assert.Equal("claim-0", r.LapseClaimId));
        Assert.All(results[1], r => Assert.Equal("claim-1", r.LapseClaimId));
        foreach (var (claimed, i) in results.Select((c, i) => (c, i)))
        {
            foreach (var r in claimed)
            {
                Assert.Equal($"claim-{i}", (await GetAsync(r.SubscriberId)).LapseClaimId);
            }
        }
    }

    [Fact]
    public async Task Mark_lapse_requires_an_ended_unchanged_subscription_and_clears_the_grant()
    {
        await EnrollAtStage3Async(1, TimeSpan.FromDays(1));
        Assert.True(await Store().TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashOf('a'), Now, Now));
        Assert.True(await Store().TryRecordLinkAsync(1, HashOf('a'), "https://t.me/+a"));
        var read = await GetAsync(1);
        Assert.False(await ClaimAndConfirmLapseAsync(read));
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.False(await ClaimAndConfirmLapseAsync(read with { Stage = S1 }));
        Assert.False(await ClaimAndConfirmLapseAsync(read with { GrantTokenHash = HashOf('b') }));
        Assert.True(await ClaimAndConfirmLapseAsync(read));
        var r = await GetAsync(1);
        Assert.Equal(Now, r.LapseHandledAt);
        Assert.Null(r.GrantTokenHash);
        Assert.Null(r.GrantLink);
        Assert.Equal(S3, r.Stage);
    }

    [Fact]
    public async Task Count_by_stage_counts_active_subscribers_with_completed_as_its_own_stage()
    {
        await EnrollAsync(1);
        await EnrollAsync(2);
        await EnrollAsync(3);
        await EnrollAsync(4);
        await EnrollAsync(5, TimeSpan.FromHours(1));
        Assert.True(await Store().TryAdvanceAsync(2, S1, S2, Now));
        Assert.True(await Store().TrySkipAsync(await GetAsync(3), Now));
        Assert.True(await Store().TrySkipAsync(await GetAsync(4), Now));
        Clock.Advance(TimeSpan.FromHours(1));
        var counts = await Store().CountByStageAsync(Now);
        Assert.Equal(1, counts[S1]);
        Assert.Equal(1, counts[S2]);
        Assert.Equal(2, counts[VipEntryStage.Completed]);
        Assert.False(counts.ContainsKey(S3));
    }

    [Fact]
    public async Task Times_round_trip_as_the_same_instant_whatever_the_offset()
    {
        var ends = new DateTimeOffset(2030, 3, 1, 18, 30, 15, TimeSpan.FromHours(5.5)).AddTicks(1234560);
        if (Backend.CanCreate)
        {
            Assert.True(await Store().TryCreateAsync(1, ends));
        }
        else
        {
            await Backend.SeedHostRowAsync(Provider, 1, ends);
        }

        var r = await GetAsync(1);
        Assert.Equal(ends.UtcDateTime, r.SubscriptionEndsAt.UtcDateTime);
        if (Backend.NormalizesTimes)
        {
            Assert.Equal(TimeSpan.Zero, r.SubscriptionEndsAt.Offset);
        }

        // The same instant in another offset still matches in SQL comparisons.
        Assert.True(await Store().TryAdvanceAsync(1, S1, S2, ends.ToOffset(TimeSpan.FromHours(-8)).AddTicks(-10)));
        Assert.False(await Store().TryAdvanceAsync(1, S2, S3, ends.ToOffset(TimeSpan.FromHours(-8))));
    }

    // ---- rules through the state machine -----------------------------------------------------

    [Fact]
    public async Task R1_activating_a_newcomer_starts_stage1()
    {
        var result = await Machine().ActivateAsync(7, Now.AddDays(30));
        if (Backend.CanCreate)
        {
            Assert.Equal(VipEntryOutcome.Started, result.Outcome);
        }
        else
        {
            // A host-owned table: no row, no enrolment; the host's own insert enrols at stage 1.
            Assert.Equal(VipEntryOutcome.NotEnrolled, result.Outcome);
            await Backend.SeedHostRowAsync(Provider, 7, Now.AddDays(30));
            // Activating with the end the host already wrote is the same activation again: nothing to restart.
            Assert.Equal(VipEntryOutcome.AtStage, (await Machine().ActivateAsync(7, Now.AddDays(30))).Outcome);
            Assert.Equal(VipEntryOutcome.Restarted, (await Machine().ActivateAsync(7, Now.AddDays(60))).Outcome);
        }

        Assert.Equal(S1, (await GetAsync(7)).Stage);
        Assert.Equal(VipEntryOutcome.AtStage, (await Machine().GetStepAsync(7)).Result.Outcome);
    }

    [Fact]
    public async Task R2_renewal_keeps_completed_and_restarts_mid_ritual_and_lapsed()
    {
        Links.Mode = TestLinkMode.Recorded;
        await EnrollAsync(1);
        Assert.Equal(VipEntryOutcome.Skipped, (await Machine().SkipAsync(1, "admin", "comp")).Outcome);
        var renewed = await Machine().ActivateAsync(1, Now.AddDays(60));
        Assert.Equal(VipEntryOutcome.Renewed, renewed.Outcome);
        Assert.Equal(VipEntryStage.Completed, (await GetAsync(1)).Stage);

        await EnrollAtStage3Async(2);
        var delivered = await Machine().DeliverAccessAsync(2);
        Assert.Equal(VipEntryOutcome.AccessIssued, delivered.Outcome);
        var restarted = await Machine().ActivateAsync(2, Now.AddDays(60));
        Assert.Equal(VipEntryOutcome.Restarted, restarted.Outcome);
        Assert.Equal([delivered.Access!.Link], restarted.LinksToRevoke);
        var r2 = await GetAsync(2);
        Assert.Equal(S1, r2.Stage);
        Assert.Null(r2.GrantTokenHash);

        await EnrollAsync(3, TimeSpan.FromDays(1));
        Assert.True(await Store().TrySkipAsync(await GetAsync(3), Now));
        Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(VipEntryOutcome.Restarted, (await Machine().ActivateAsync(3, Now.AddDays(30))).Outcome);
        Assert.Equal(S1, (await GetAsync(3)).Stage);
    }

    [Fact]
    public async Task R3_stale_or_repeated_advance_changes_nothing_and_reports_the_stage()
    {
        await EnrollAsync(1);
        Assert.Equal(VipEntryOutcome.Advanced, (await Machine().AdvanceAsync(1, S1)).Outcome);
        var again = await Machine().AdvanceAsync(1, S1);
        Assert.Equal(VipEntryOutcome.StaleStage, again.Outcome);
        Assert.Equal(S2, again.Stage);
        Assert.Equal(S2, (await GetAsync(1)).Stage);
    }

    [Fact]
    public async Task R4_no_grant_before_stage3_and_skip_is_the_only_shortcut()
    {
        await EnrollAsync(1);
        Assert.Equal(VipEntryOutcome.WrongStage, (await Machine().DeliverAccessAsync(1)).Outcome);
        Assert.Null((await GetAsync(1)).GrantTokenHash);
        var skipped = await Machine().SkipAsync(1, "admin", "complimentary");
        Assert.Equal(VipEntryOutcome.Skipped, skipped.Outcome);
        Assert.Equal(VipEntryStage.Completed, (await GetAsync(1)).Stage);
        Assert.Equal(VipEntryOutcome.AlreadyCompleted, (await Machine().SkipAsync(1, "admin", "again")).Outcome);
    }

    [Fact]
    public async Task R5_stage3_issues_one_grant_stored_only_as_its_hash()
    {
        await EnrollAtStage3Async(1);
        var step = await Machine().GetStepAsync(1);
        Assert.Equal(VipEntryOutcome.AccessIssued, step.Result.Outcome);
        var token = step.Result.Access!.Link;
        Assert.True(AccessToken.TryParse(token, out var parsed));
        var r = await GetAsync(1);
        Assert.Equal(parsed.ComputeHash(), r.GrantTokenHash);
        Assert.NotEqual(token, r.GrantTokenHash);
        Assert.Equal(Now, r.GrantIssuedAt);

        var again = await Machine().GetStepAsync(1);
        Assert.Equal(VipEntryOutcome.AccessAlreadyDelivered, again.Result.Outcome);
        Assert.Equal(r.GrantTokenHash, (await GetAsync(1)).GrantTokenHash);
    }

    [Fact]
    public async Task R5_a_recorded_link_is_shown_again_without_minting()
    {
        Links.Mode = TestLinkMode.Recorded;
        await EnrollAtStage3Async(1);
        var first = await Machine().DeliverAccessAsync(1);
        Assert.Equal(VipEntryOutcome.AccessIssued, first.Outcome);
        var hash = (await GetAsync(1)).GrantTokenHash;
        Clock.Advance(TimeSpan.FromHours(1));
        var shown = await Machine().DeliverAccessAsync(1);
        Assert.Equal(VipEntryOutcome.AccessShown, shown.Outcome);
        Assert.Equal(first.Access!.Link, shown.Access!.Link);
        Assert.Equal(first.Access.ExpiresAt, shown.Access.ExpiresAt);
        Assert.Equal(hash, (await GetAsync(1)).GrantTokenHash);
    }

    [Fact]
    public async Task R6_redeem_by_token_completes_once_and_refuses_others()
    {
        await EnrollAtStage3Async(1);
        await EnrollAtStage3Async(2);
        var token = (await Machine().DeliverAccessAsync(1)).Access!.Link;
        var stranger = await Machine().RedeemTokenAsync(2, token);
        Assert.Equal(VipEntryOutcome.Refused, stranger.Outcome);
        Assert.Equal(S3, (await GetAsync(1)).Stage);

        var redeemed = await Machine().RedeemTokenAsync(1, token);
        Assert.Equal(VipEntryOutcome.Redeemed, redeemed.Outcome);
        Assert.Equal(VipEntryStage.Completed, (await GetAsync(1)).Stage);
        var second = await Machine().RedeemTokenAsync(1, token);
        Assert.Equal(VipEntryOutcome.AlreadyCompleted, second.Outcome);
        Assert.False(second.Succeeded);
    }

    [Fact]
    public async Task R6_redeem_by_recorded_link_and_expired_grants()
    {
        Links.Mode = TestLinkMode.Recorded;
        await EnrollAtStage3Async(1);
        await EnrollAtStage3Async(2);
        var link1 = (await Machine().DeliverAccessAsync(1)).Access!.Link;
        var link2 = (await Machine().DeliverAccessAsync(2)).Access!.Link;
        Assert.Equal(VipEntryOutcome.Refused, (await Machine().RedeemLinkAsync(2, link1)).Outcome);
        var redeemed = await Machine().RedeemLinkAsync(1, link1);
        Assert.Equal(VipEntryOutcome.Redeemed, redeemed.Outcome);
        Assert.Equal([link1], redeemed.LinksToRevoke);

        Clock.Advance(TimeSpan.FromHours(24));
        Assert.Equal(VipEntryOutcome.LinkExpired, (await Machine().RedeemLinkAsync(2, link2)).Outcome);
        Assert.Equal(S3, (await GetAsync(2)).Stage);
    }

    [Fact]
    public async Task R7_reissue_replaces_an_expired_grant_after_the_cooldown_and_kills_the_old_token()
    {
        await EnrollAtStage3Async(1);
        var old = (await Machine().DeliverAccessAsync(1)).Access!.Link;
        Assert.Equal(VipEntryOutcome.ReissueTooSoon, (await Machine().ReissueAccessAsync(1)).Outcome);
        Clock.Advance(TimeSpan.FromHours(25));
        Assert.Equal(VipEntryOutcome.LinkExpired, (await Machine().DeliverAccessAsync(1)).Outcome);
        var reissued = await Machine().ReissueAccessAsync(1);
        Assert.Equal(VipEntryOutcome.AccessReissued, reissued.Outcome);
        Assert.NotEqual(old, reissued.Access!.Link);
        Assert.Equal(VipEntryOutcome.UnknownGrant, (await Machine().RedeemTokenAsync(1, old)).Outcome);
        Assert.Equal(VipEntryOutcome.Redeemed, (await Machine().RedeemTokenAsync(1, reissued.Access.Link)).Outcome);
    }

    [Fact]
    public async Task R8_an_ended_subscription_blocks_every_step_at_once()
    {
        await EnrollAsync(1, TimeSpan.FromHours(1));
        await EnrollAtStage3Async(2, TimeSpan.FromHours(1));
        var token = (await Machine().DeliverAccessAsync(2)).Access!.Link;
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(VipEntryOutcome.SubscriptionExpired, (await Machine().AdvanceAsync(1, S1)).Outcome);
        Assert.Equal(VipEntryOutcome.SubscriptionExpired, (await Machine().RedeemTokenAsync(2, token)).Outcome);
        Assert.Equal(VipEntryOutcome.SubscriptionExpired, (await Machine().ReissueAccessAsync(2)).Outcome);
        Assert.Equal(S1, (await GetAsync(1)).Stage);
        Assert.Equal(S3, (await GetAsync(2)).Stage);
    }

    [Fact]
    public async Task R8_sweep_reports_each_lapse_once_in_batches_and_a_renewal_clears_it()
    {
        Links.Mode = TestLinkMode.Recorded;
        await EnrollAsync(1, TimeSpan.FromDays(1));
        Assert.True(await Store().TrySkipAsync(await GetAsync(1), Now));
        await EnrollAtStage3Async(2, TimeSpan.FromDays(2));
        var link = (await Machine().DeliverAccessAsync(2)).Access!.Link;
        await EnrollAsync(3, TimeSpan.FromDays(3));
        await EnrollAsync(4, TimeSpan.FromDays(30));
        Clock.Advance(TimeSpan.FromDays(3));

        var first = await Machine().SweepAsync();
        Assert.True(first.HasMore);
        Assert.Equal([1L, 2L], first.Lapses.Select(l => l.SubscriberId));
        Assert.True(first.Lapses[0].ShouldRemoveFromChannel);
        Assert.Equal(link, first.Lapses[1].LinkToRevoke);
        Assert.False(first.Lapses[1].ShouldRemoveFromChannel);
        var second = await Machine().SweepAsync();
        Assert.Equal([3L], second.Lapses.Select(l => l.SubscriberId));
        Assert.False(second.HasMore);
        Assert.Empty((await Machine().SweepAsync()).Lapses);
        Assert.Null((await GetAsync(2)).GrantTokenHash);

        Assert.Equal(VipEntryOutcome.Restarted, (await Machine().ActivateAsync(1, Now.AddDays(30))).Outcome);
        Assert.Null((await GetAsync(1)).LapseHandledAt);
    }

    [Fact]
    public async Task R9_a_member_resumes_at_the_same_stage_later()
    {
        await EnrollAsync(1);
        Assert.Equal(VipEntryOutcome.Advanced, (await Machine().AdvanceAsync(1, S1)).Outcome);
        Clock.Advance(TimeSpan.FromDays(10));
        var step = await Machine().GetStepAsync(1);
        Assert.Equal(VipEntryOutcome.AtStage, step.Result.Outcome);
        Assert.Equal(S2, step.Result.Stage);
    }

    [Fact]
    public async Task R10_grant_times_come_from_the_clock_and_expiry_is_exact()
    {
        Clock.SetUtcNow(new DateTimeOffset(2030, 6, 1, 8, 15, 30, 250, TimeSpan.Zero));
        await EnrollAtStage3Async(1);
        var access = (await Machine().DeliverAccessAsync(1)).Access!;
        Assert.Equal(Now.AddHours(24), access.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, access.ExpiresAt.Offset);
        Assert.Equal(Now, (await GetAsync(1)).GrantIssuedAt);

        // One microsecond before expiry the grant is live; at expiry it is not.
        Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMicroseconds(1));
        Assert.Equal(VipEntryOutcome.AccessAlreadyDelivered, (await Machine().DeliverAccessAsync(1)).Outcome);
        Clock.Advance(TimeSpan.FromMicroseconds(1));
        Assert.Equal(VipEntryOutcome.LinkExpired, (await Machine().DeliverAccessAsync(1)).Outcome);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("' OR 1=1; DROP TABLE vip_subscribers; --")]
    [InlineData("ññññññññññññññññññññññññññññññññññññññññññññññññññññññññññññññññ")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'--")]
    public async Task R11_malformed_tokens_are_invalid_input_and_touch_nothing(string token)
    {
        await EnrollAtStage3Async(1);
        var result = await Machine().RedeemTokenAsync(1, token);
        Assert.Equal(VipEntryOutcome.InvalidInput, result.Outcome);
        Assert.Equal(S3, (await GetAsync(1)).Stage);
        Assert.Equal(VipEntryOutcome.InvalidInput, (await Machine().RedeemTokenAsync(1, new string('x', 10_000))).Outcome);
        Assert.Equal(VipEntryOutcome.UnknownGrant, (await Machine().RedeemLinkAsync(1, "' OR 1=1 --")).Outcome);
    }

    [Fact]
    public async Task R12_the_token_is_never_stored()
    {
        await EnrollAtStage3Async(1);
        var token = (await Machine().DeliverAccessAsync(1)).Access!.Link;
        var r = await GetAsync(1);
        string?[] stored = [r.GrantTokenHash, r.GrantLink, r.ToString()];
        Assert.DoesNotContain(stored, s => s is not null && s.Contains(token, StringComparison.Ordinal));
        Assert.Null(await Store().FindByTokenHashAsync(token));
        Assert.NotNull(await Store().FindByTokenHashAsync(r.GrantTokenHash!));
    }

    [Fact]
    public async Task R15_funnel_counts_active_members_per_stage()
    {
        await EnrollAsync(1);
        await EnrollAsync(2);
        await EnrollAtStage3Async(3);
        await EnrollAsync(4);
        await EnrollAsync(5, TimeSpan.FromHours(1));
        Assert.Equal(VipEntryOutcome.Advanced, (await Machine().AdvanceAsync(2, S1)).Outcome);
        Assert.Equal(VipEntryOutcome.Skipped, (await Machine().SkipAsync(4, "admin", "vip")).Outcome);
        Clock.Advance(TimeSpan.FromHours(2));
        var funnel = await Machine().GetFunnelAsync();
        Assert.Equal(new VipEntryFunnel(1, 1, 1, 1), funnel);
    }
}
