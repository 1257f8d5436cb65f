using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Engine;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Contract;

/// <summary>
/// The contract of the channel facts (R19, <see cref="IVipEntryChannelStore"/>) on every store: records created when
/// missing, the version every change of a fact bumps, the due list and its boundaries, claims under a lease, and
/// confirmations that land only on the facts the worker acted on. The in-memory store is the reference; the EF Core store
/// must match it on SQLite and PostgreSQL, with the ready-made entity and with a host entity. Times are deliberately not
/// whole seconds (they are whole microseconds, as the engine hands them to a store).
/// </summary>
public abstract class ChannelFactsContractTests<TBackend>(TBackend backend) : StoreTestBase<TBackend>(backend)
    where TBackend : StoreBackend
{
    private const string Chat = "main";
    private const string OtherChat = "annex";
    private const int Racers = 16;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Micro = TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond);
    private static readonly string[] NoLinks = [];

    // 1.2345678 s after the start, at store precision: 1.234567 s.
    private static readonly DateTimeOffset T1 = At(TimeSpan.FromTicks(12_345_678));
    private static readonly DateTimeOffset T2 = At(TimeSpan.FromTicks(25_432_109));
    private static readonly DateTimeOffset T3 = At(TimeSpan.FromTicks(37_777_777));

    private static DateTimeOffset At(TimeSpan afterStart) => VipEntryStateMachine.ToStorePrecision(Start + afterStart);

    private IVipEntryChannelStore Channel() => NewScope().GetRequiredService<IVipEntryChannelStore>();

    private async Task<VipEntryChannelRecord> GetChannelAsync(long personId, string chat = Chat) =>
        Assert.IsType<VipEntryChannelRecord>(await Channel().FindAsync(chat, personId));

    private static VipEntryChannelSettlement SettlementOf(VipEntryChannelRecord read, string claimId, bool mayBeInside, bool banMayStand, IReadOnlyList<string> links, DateTimeOffset? nextDueAt) =>
        new(read.Chat, read.PersonId, claimId, read.Version, mayBeInside, banMayStand, links, nextDueAt);

    // ---- create when missing -----------------------------------------------------------------

    [Fact]
    public async Task R19_recording_inside_creates_the_record_when_missing_and_bumps_the_version_after()
    {
        Assert.Null(await Channel().FindAsync(Chat, 7));

        await Channel().RecordInsideAsync(Chat, 7, T1);
        var created = await GetChannelAsync(7);
        AssertSameRecord(new VipEntryChannelRecord(Chat, 7, MayBeInside: true, BanMayStand: false, NoLinks, T1, Version: 1), created);
        Assert.Null(created.ClaimId);
        Assert.Null(created.LeaseUntil);

        // Reported gone: the fact is cleared, the version bumped, what is due stays.
        await Channel().RecordOutsideAsync(Chat, 7);
        var outside = await GetChannelAsync(7);
        Assert.False(outside.MayBeInside);
        Assert.Equal(2, outside.Version);
        Assert.Equal(T1, outside.DueAt);

        await Channel().RecordInsideAsync(Chat, 7, T2);
        var again = await GetChannelAsync(7);
        Assert.True(again.MayBeInside);
        Assert.Equal(T2, again.DueAt);
        Assert.Equal(3, again.Version);

        // Facts are per chat.
        Assert.Null(await Channel().FindAsync(OtherChat, 7));
    }

    [Fact]
    public async Task R19_recording_outside_without_a_record_records_nothing()
    {
        await Channel().RecordOutsideAsync(Chat, 8);
        Assert.Null(await Channel().FindAsync(Chat, 8));
    }

    [Fact]
    public async Task R19_owing_revocations_creates_the_record_when_missing_and_adds_each_link_once()
    {
        await Channel().OweRevocationsAsync(Chat, 9, ["https://t.me/+a", "https://t.me/+b", "https://t.me/+a"], T1);
        var created = await GetChannelAsync(9);
        Assert.False(created.MayBeInside);
        Assert.False(created.BanMayStand);
        Assert.Equal(["https://t.me/+a", "https://t.me/+b"], created.LinksToRevoke);
        Assert.Equal(T1, created.DueAt);
        Assert.Equal(1, created.Version);

        // Kept in order, each once; due again now.
        await Channel().OweRevocationsAsync(Chat, 9, ["https://t.me/+b", "https://t.me/+c"], T2);
        var merged = await GetChannelAsync(9);
        Assert.Equal(["https://t.me/+a", "https://t.me/+b", "https://t.me/+c"], merged.LinksToRevoke);
        Assert.Equal(T2, merged.DueAt);
        Assert.Equal(2, merged.Version);

        // Nothing owed: nothing changes, nothing is created.
        await Channel().OweRevocationsAsync(Chat, 9, [], T3);
        AssertSameRecord(merged, await GetChannelAsync(9));
        await Channel().OweRevocationsAsync(Chat, 10, [], T3);
        Assert.Null(await Channel().FindAsync(Chat, 10));
    }

    [Fact]
    public async Task R19_owed_links_join_a_record_of_someone_inside_and_keep_the_fact()
    {
        await Channel().RecordInsideAsync(Chat, 11, T1);
        await Channel().OweRevocationsAsync(Chat, 11, ["https://t.me/+old"], T2);
        var r = await GetChannelAsync(11);
        Assert.True(r.MayBeInside);
        Assert.Equal(["https://t.me/+old"], r.LinksToRevoke);
        Assert.Equal(T2, r.DueAt);
        Assert.Equal(2, r.Version);
    }

    [Fact]
    public async Task R19_an_intruder_who_is_no_subscriber_is_recorded_durably()
    {
        const long Intruder = 4_000_000_001;
        await Channel().RecordInsideAsync(Chat, Intruder, T1);
        var r = await GetChannelAsync(Intruder);
        Assert.True(r.MayBeInside);
        Assert.Equal(T1, r.DueAt);

        // No subscriber row came with it (a host entity's required columns would not allow one anyway).
        Assert.Null(await Store().FindAsync(Intruder));
        Assert.Equal(Intruder, Assert.Single(await Channel().ListDueAsync(Chat, T1, 10)).PersonId);
    }

    // ---- MarkDue -----------------------------------------------------------------------------

    [Fact]
    public async Task R19_marking_due_touches_only_records_that_hold_a_fact_and_bumps_their_version()
    {
        await Channel().RecordInsideAsync(Chat, 1, T1);                       // may be inside
        await Channel().OweRevocationsAsync(Chat, 2, ["https://t.me/+two"], T1); // links
        await Channel().RecordInsideAsync(Chat, 3, T1);
        await Channel().RecordOutsideAsync(Chat, 3);                          // no fact left
        await Channel().RecordInsideAsync(Chat, 4, T1);                       // a ban only, settled with nothing due
        var four = await GetChannelAsync(4);
        Assert.True(await Channel().TryClaimAsync(four, "w4", T1, T1 + Lease));
        Assert.True(await Channel().TrySettleAsync(SettlementOf(four, "w4", mayBeInside: false, banMayStand: true, [], nextDueAt: null)));
        await Channel().RecordInsideAsync(OtherChat, 6, T1);                  // another chat
        var before = new Dictionary<long, VipEntryChannelRecord>();
        foreach (var id in new long[] { 1, 2, 3, 4 })
        {
            before[id] = await GetChannelAsync(id);
        }

        var otherBefore = await GetChannelAsync(6, OtherChat);
        Assert.Null(before[4].DueAt);

        await Channel().MarkDueAsync(Chat, [1, 2, 3, 4, 5, 6], T3);

        foreach (var id in new long[] { 1, 2, 4 })
        {
            var r = await GetChannelAsync(id);
            Assert.Equal(T3, r.DueAt);
            Assert.Equal(before[id].Version + 1, r.Version);
            Assert.Equal(before[id].MayBeInside, r.MayBeInside);
            Assert.Equal(before[id].BanMayStand, r.BanMayStand);
            Assert.Equal(before[id].LinksToRevoke, r.LinksToRevoke);
        }

        AssertSameRecord(before[3], await GetChannelAsync(3));
        Assert.Null(await Channel().FindAsync(Chat, 5));
        AssertSameRecord(otherBefore, await GetChannelAsync(6, OtherChat));

        // A confirmation based on the old entitlement does not land.
        var listed = Assert.Single(await Channel().ListDueAsync(Chat, T3, 10), r => r.PersonId == 1);
        Assert.True(await Channel().TryClaimAsync(listed, "w1", T3, T3 + Lease));
        await Channel().MarkDueAsync(Chat, [1], T3);
        Assert.False(await Channel().TrySettleAsync(SettlementOf(listed, "w1", false, false, [], null)));

        // No one: nothing.
        await Channel().MarkDueAsync(Chat, [], T3);
    }

    // ---- ListDue -----------------------------------------------------------------------------

    [Fact]
    public async Task R19_the_due_list_is_earliest_first_with_exact_sub_second_boundaries()
    {
        var early = T1;                  // 1.234567 s
        var late = At(TimeSpan.FromTicks(25_000_001)); // 2.5 s (the tick below a microsecond is dropped)
        var latest = T3;
        await Channel().RecordInsideAsync(Chat, 10, latest);
        await Channel().RecordInsideAsync(Chat, 12, early);
        await Channel().RecordInsideAsync(Chat, 11, early);
        await Channel().OweRevocationsAsync(Chat, 13, ["https://t.me/+thirteen"], late);
        await Channel().RecordInsideAsync(OtherChat, 1, early);

        // Settled with nothing due: never listed.
        await Channel().RecordInsideAsync(Chat, 14, early);
        var fourteen = await GetChannelAsync(14);
        Assert.True(await Channel().TryClaimAsync(fourteen, "w14", early, early + Lease));
        Assert.True(await Channel().TrySettleAsync(SettlementOf(fourteen, "w14", true, false, [], null)));

        Assert.Empty(await Channel().ListDueAsync(Chat, early - Micro, 10));
        Assert.Equal([11L, 12], (await Channel().ListDueAsync(Chat, early, 10)).Select(r => r.PersonId));
        Assert.Equal([11L, 12], (await Channel().ListDueAsync(Chat, late - Micro, 10)).Select(r => r.PersonId));
        Assert.Equal([11L, 12, 13], (await Channel().ListDueAsync(Chat, late, 10)).Select(r => r.PersonId));
        Assert.Equal([11L, 12, 13, 10], (await Channel().ListDueAsync(Chat, latest + TimeSpan.FromDays(400), 10)).Select(r => r.PersonId));
        Assert.Equal([11L, 12], (await Channel().ListDueAsync(Chat, latest, 2)).Select(r => r.PersonId));
        Assert.Equal([1L], (await Channel().ListDueAsync(OtherChat, latest, 10)).Select(r => r.PersonId));

        // The records as listed are the records as read.
        var listed = await Channel().ListDueAsync(Chat, latest, 10);
        foreach (var r in listed)
        {
            AssertSameRecord(await GetChannelAsync(r.PersonId), r);
        }

        Assert.Equal(["https://t.me/+thirteen"], listed.Single(r => r.PersonId == 13).LinksToRevoke);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Channel().ListDueAsync(Chat, latest, 0));
    }

    [Fact]
    public async Task R19_a_held_record_is_not_listed_until_its_lease_runs_out_to_the_microsecond()
    {
        await Channel().RecordInsideAsync(Chat, 20, T1);
        var listed = Assert.Single(await Channel().ListDueAsync(Chat, T1, 10));
        var leaseUntil = At(TimeSpan.FromMinutes(10) + TimeSpan.FromTicks(12_345_678));
        Assert.True(await Channel().TryClaimAsync(listed, "claim-a", T1, leaseUntil));

        Assert.Empty(await Channel().ListDueAsync(Chat, T1, 10));
        Assert.Empty(await Channel().ListDueAsync(Chat, leaseUntil - Micro, 10));
        var again = Assert.Single(await Channel().ListDueAsync(Chat, leaseUntil, 10));
        Assert.Equal("claim-a", again.ClaimId);
        Assert.Equal(leaseUntil, again.LeaseUntil);
    }

    // ---- claims ------------------------------------------------------------------------------

    [Fact]
    public async Task R19_of_two_claimers_of_one_listing_exactly_one_holds_the_record()
    {
        await Channel().RecordInsideAsync(Chat, 21, T1);
        var listedByA = Assert.Single(await Channel().ListDueAsync(Chat, T2, 10));
        var listedByB = Assert.Single(await Channel().ListDueAsync(Chat, T2, 10));

        Assert.True(await Channel().TryClaimAsync(listedByA, "claim-a", T2, T2 + Lease));
        Assert.False(await Channel().TryClaimAsync(listedByB, "claim-b", T2, T2 + Lease));
        var held = await GetChannelAsync(21);
        Assert.Equal("claim-a", held.ClaimId);
        Assert.Equal(VipEntryStateMachine.ToStorePrecision(T2 + Lease), held.LeaseUntil);
        Assert.Equal(listedByA.Version, held.Version); // a claim is no change of a fact
        Assert.Empty(await Channel().ListDueAsync(Chat, T2, 10));
        Assert.False(await Channel().TryRecordBanAsync(Chat, 21, "claim-b"));
        Assert.False(await Channel().TrySettleAsync(SettlementOf(listedByB, "claim-b", false, false, [], null)));
    }

    [Fact]
    public async Task R19_an_expired_lease_is_claimable_again_and_only_then_and_the_old_holder_loses_everything()
    {
        await Channel().RecordInsideAsync(Chat, 22, T1);
        var listed = Assert.Single(await Channel().ListDueAsync(Chat, T1, 10));
        var leaseUntil = At(TimeSpan.FromMinutes(5) + TimeSpan.FromTicks(1_234_567));
        Assert.True(await Channel().TryClaimAsync(listed, "claim-a", T1, leaseUntil));

        // The record as read while claimed: re-claimable only once the lease has run out.
        var held = await GetChannelAsync(22);
        Assert.False(await Channel().TryClaimAsync(held, "claim-b", leaseUntil - Micro, leaseUntil + Lease));
        Assert.False(await Channel().TryClaimAsync(listed, "claim-b", leaseUntil, leaseUntil + Lease)); // as listed before the claim
        Assert.True(await Channel().TryClaimAsync(held, "claim-b", leaseUntil, leaseUntil + Lease));
        Assert.Equal("claim-b", (await GetChannelAsync(22)).ClaimId);

        // The first worker's late steps are not the current claim's.
        Assert.False(await Channel().TryRecordBanAsync(Chat, 22, "claim-a"));
        Assert.False(await Channel().TrySettleAsync(SettlementOf(held, "claim-a", false, false, [], null)));
        await Channel().ReleaseAsync(Chat, 22, "claim-a");
        Assert.Equal("claim-b", (await GetChannelAsync(22)).ClaimId);

        Assert.True(await Channel().TrySettleAsync(SettlementOf(held, "claim-b", mayBeInside: false, banMayStand: false, [], nextDueAt: null)));
        var done = await GetChannelAsync(22);
        Assert.Null(done.ClaimId);
        Assert.Null(done.LeaseUntil);
        Assert.Null(done.DueAt);
        Assert.Equal(held.Version + 1, done.Version);
    }

    [Fact]
    public async Task R19_a_record_that_is_not_due_or_not_there_cannot_be_claimed()
    {
        await Channel().RecordInsideAsync(Chat, 23, T2);
        var read = await GetChannelAsync(23);
        Assert.False(await Channel().TryClaimAsync(read, "early", T2 - Micro, T2 + Lease));
        Assert.Null((await GetChannelAsync(23)).ClaimId);

        // Settled with nothing due: nothing to claim, ever.
        Assert.True(await Channel().TryClaimAsync(read, "w", T2, T2 + Lease));
        Assert.True(await Channel().TrySettleAsync(SettlementOf(read, "w", true, false, [], null)));
        Assert.False(await Channel().TryClaimAsync(await GetChannelAsync(23), "late", T3 + TimeSpan.FromDays(1000), T3 + TimeSpan.FromDays(1001)));

        // A stale version, or no record at all.
        Assert.False(await Channel().TryClaimAsync(read, "stale", T3, T3 + Lease));
        Assert.False(await Channel().TryClaimAsync(read with { PersonId = 24 }, "nobody", T3, T3 + Lease));
        Assert.Null(await Channel().FindAsync(Chat, 24));
    }

    // ---- settle, ban, release ----------------------------------------------------------------

    [Fact]
    public async Task R19_a_settlement_lands_only_with_the_held_claim_and_the_version_acted_on()
    {
        await Channel().RecordInsideAsync(Chat, 30, T1);
        var listed = Assert.Single(await Channel().ListDueAsync(Chat, T1, 10));
        Assert.True(await Channel().TryClaimAsync(listed, "w1", T1, T1 + Lease));

        // The transport reports the person inside again while the worker acts: the worker's view is stale.
        await Channel().RecordInsideAsync(Chat, 30, T2);
        var changed = await GetChannelAsync(30);
        Assert.Equal(listed.Version + 1, changed.Version);
        Assert.Equal("w1", changed.ClaimId); // the claim stays; only the version moved

        Assert.False(await Channel().TrySettleAsync(SettlementOf(listed, "w1", mayBeInside: false, banMayStand: true, ["https://t.me/+x"], T3)));
        Assert.False(await Channel().TrySettleAsync(SettlementOf(changed, "w2", mayBeInside: false, banMayStand: true, ["https://t.me/+x"], T3)));
        AssertSameRecord(changed, await GetChannelAsync(30));

        // The worker gives up at once; another claims the new facts and settles them.
        await Channel().ReleaseAsync(Chat, 30, "w1");
        var relisted = Assert.Single(await Channel().ListDueAsync(Chat, T2, 10));
        Assert.Equal(changed.Version, relisted.Version);
        Assert.True(await Channel().TryClaimAsync(relisted, "w2", T2, T2 + Lease));
        Assert.True(await Channel().TrySettleAsync(SettlementOf(relisted, "w2", mayBeInside: false, banMayStand: true, ["https://t.me/+x", "https://t.me/+y"], T3)));
        var settled = await GetChannelAsync(30);
        AssertSameRecord(new VipEntryChannelRecord(Chat, 30, MayBeInside: false, BanMayStand: true, ["https://t.me/+x", "https://t.me/+y"], T3, relisted.Version + 1), settled);
        Assert.Null(settled.ClaimId);
        Assert.Null(settled.LeaseUntil);

        // Once only.
        Assert.False(await Channel().TrySettleAsync(SettlementOf(relisted, "w2", mayBeInside: true, banMayStand: false, [], null)));
        AssertSameRecord(settled, await GetChannelAsync(30));
    }

    [Fact]
    public async Task R19_recording_a_ban_needs_the_claim_and_keeps_the_version()
    {
        await Channel().RecordInsideAsync(Chat, 40, T1);
        var read = await GetChannelAsync(40);
        Assert.False(await Channel().TryRecordBanAsync(Chat, 40, "w"));
        Assert.False(await Channel().TryRecordBanAsync(Chat, 41, "w"));
        Assert.Null(await Channel().FindAsync(Chat, 41));
        Assert.True(await Channel().TryClaimAsync(read, "w", T1, T1 + Lease));
        Assert.False(await Channel().TryRecordBanAsync(Chat, 40, "other"));
        Assert.False((await GetChannelAsync(40)).BanMayStand);

        Assert.True(await Channel().TryRecordBanAsync(Chat, 40, "w"));
        var banned = await GetChannelAsync(40);
        Assert.True(banned.BanMayStand);
        Assert.True(banned.MayBeInside);
        Assert.Equal(read.Version, banned.Version);
        Assert.Equal("w", banned.ClaimId);

        // Write-ahead: the worker's settlement (on the version it claimed) still lands.
        Assert.True(await Channel().TrySettleAsync(SettlementOf(read, "w", mayBeInside: false, banMayStand: true, [], null)));
        Assert.True((await GetChannelAsync(40)).BanMayStand);
    }

    [Fact]
    public async Task R19_release_gives_up_only_the_holders_claim_and_keeps_the_facts()
    {
        await Channel().OweRevocationsAsync(Chat, 50, ["https://t.me/+fifty"], T1);
        var read = await GetChannelAsync(50);
        Assert.True(await Channel().TryClaimAsync(read, "w", T1, T1 + TimeSpan.FromDays(1)));

        await Channel().ReleaseAsync(Chat, 50, "not-w");
        await Channel().ReleaseAsync(Chat, 51, "w");
        Assert.Equal("w", (await GetChannelAsync(50)).ClaimId);
        Assert.Null(await Channel().FindAsync(Chat, 51));

        await Channel().ReleaseAsync(Chat, 50, "w");
        var released = await GetChannelAsync(50);
        AssertSameRecord(read, released);
        Assert.Null(released.ClaimId);
        Assert.Null(released.LeaseUntil);

        // Claimable again now, by anyone.
        var relisted = Assert.Single(await Channel().ListDueAsync(Chat, T1, 10));
        Assert.True(await Channel().TryClaimAsync(relisted, "v", T1, T1 + Lease));
    }

    // ---- the member's language (issue 15, point 6) ---------------------------------------------

    [Fact]
    public async Task Issue15_remembering_a_language_creates_a_record_without_facts_and_writes_only_when_it_changed()
    {
        Assert.True(await Channel().RememberLanguageAsync(Chat, 31, "pt-BR"));
        var created = await GetChannelAsync(31);
        Assert.Equal("pt-BR", created.Language);
        Assert.False(created.MayBeInside);
        Assert.False(created.BanMayStand);
        Assert.Empty(created.LinksToRevoke);
        Assert.Null(created.DueAt); // nothing owed: never listed
        Assert.Empty(await Channel().ListDueAsync(Chat, T3, 10));

        Assert.False(await Channel().RememberLanguageAsync(Chat, 31, "pt-BR"));
        Assert.True(await Channel().RememberLanguageAsync(Chat, 31, "es"));
        Assert.Equal("es", (await GetChannelAsync(31)).Language);
        Assert.Equal(created.Version, (await GetChannelAsync(31)).Version);

        // Per chat; a fact recorded later keeps the language, and the language survives a new scope (a restart).
        Assert.Null(await Channel().FindAsync(OtherChat, 31));
        await Channel().RecordInsideAsync(Chat, 31, T1);
        var inside = await GetChannelAsync(31);
        Assert.True(inside.MayBeInside);
        Assert.Equal(T1, inside.DueAt);
        Assert.Equal("es", inside.Language);
    }

    [Fact]
    public async Task Issue15_remembering_a_language_keeps_the_version_and_what_is_due_so_a_claimed_settlement_still_lands()
    {
        await Channel().RecordInsideAsync(Chat, 32, T1);
        var listed = await GetChannelAsync(32);
        Assert.True(await Channel().TryClaimAsync(listed, "claim-32", T1, T1 + Lease));
        var held = await GetChannelAsync(32);

        Assert.True(await Channel().RememberLanguageAsync(Chat, 32, "es"));
        var remembered = await GetChannelAsync(32);
        Assert.Equal(held.Version, remembered.Version);
        Assert.Equal(held.DueAt, remembered.DueAt);
        Assert.Equal("claim-32", remembered.ClaimId);

        Assert.True(await Channel().TrySettleAsync(SettlementOf(held, "claim-32", mayBeInside: true, banMayStand: false, NoLinks, nextDueAt: null)));
        var settled = await GetChannelAsync(32);
        Assert.Equal("es", settled.Language);
        Assert.Null(settled.ClaimId);
    }

    [Fact]
    public async Task Issue15_parallel_first_sightings_of_one_language_make_one_record_and_one_write()
    {
        for (var round = 1; round <= 3; round++)
        {
            long person = 300 + round;
            var changed = await RaceAsync((store, _) => store.RememberLanguageAsync(Chat, person, "es").AsTask());
            Assert.Single(changed, c => c);
            Assert.Equal("es", (await GetChannelAsync(person)).Language);
        }
    }

    // ---- concurrency -------------------------------------------------------------------------

    [Fact]
    public async Task R19_parallel_first_reports_of_one_person_make_one_record_with_every_link_once()
    {
        for (var round = 1; round <= 3; round++)
        {
            long person = 100 + round;
            var now = At(TimeSpan.FromTicks(12_345_678 * round));
            await RaceAsync(async (store, i) =>
            {
                if (i % 2 == 0)
                {
                    await store.RecordInsideAsync(Chat, person, now);
                }
                else
                {
                    await store.OweRevocationsAsync(Chat, person, [$"https://t.me/+r{round}-{i}", $"https://t.me/+r{round}-shared"], now);
                }

                return true;
            });

            var r = await GetChannelAsync(person);
            Assert.True(r.MayBeInside);
            Assert.Equal(now, r.DueAt);
            Assert.Equal(Racers, r.Version); // every step bumped it exactly once, the creating one from nothing to 1
            var expected = Enumerable.Range(0, Racers).Where(i => i % 2 == 1).Select(i => $"https://t.me/+r{round}-{i}").Append($"https://t.me/+r{round}-shared");
            Assert.Equal(expected.Order(StringComparer.Ordinal), r.LinksToRevoke.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task R19_parallel_claimers_of_one_listing_leave_exactly_one_holder()
    {
        for (var round = 1; round <= 3; round++)
        {
            long person = 200 + round;
            await Channel().RecordInsideAsync(Chat, person, T1);
            var listed = Assert.Single(await Channel().ListDueAsync(Chat, T1, 10), r => r.PersonId == person);
            var won = await RaceAsync((store, i) => store.TryClaimAsync(listed, $"claim-{round}-{i}", T1, T1 + Lease).AsTask());
            var winner = Assert.Single(Enumerable.Range(0, Racers), i => won[i]);
            Assert.Equal($"claim-{round}-{winner}", (await GetChannelAsync(person)).ClaimId);
        }
    }

    // Racers on their own scopes (own contexts and connections), released together.
    private async Task<T[]> RaceAsync<T>(Func<IVipEntryChannelStore, int, Task<T>> action)
    {
        var scopes = new AsyncServiceScope[Racers];
        try
        {
            var stores = new IVipEntryChannelStore[Racers];
            for (var i = 0; i < Racers; i++)
            {
                scopes[i] = Provider.CreateAsyncScope();
                await Backend.WarmUpAsync(scopes[i].ServiceProvider);
                stores[i] = scopes[i].ServiceProvider.GetRequiredService<IVipEntryChannelStore>();
            }

            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tasks = Enumerable.Range(0, Racers).Select(i => Task.Run(async () =>
            {
                await gate.Task;
                return await action(stores[i], i);
            })).ToArray();
            gate.SetResult();
            return await Task.WhenAll(tasks);
        }
        finally
        {
            foreach (var scope in scopes)
            {
                await scope.DisposeAsync();
            }

            Backend.ReleaseConnections();
        }
    }

    // A record's own equality compares the links list by reference: compare everything else, then the links in order.
    private static void AssertSameRecord(VipEntryChannelRecord expected, VipEntryChannelRecord actual)
    {
        Assert.Equal(expected with { LinksToRevoke = NoLinks }, actual with { LinksToRevoke = NoLinks });
        Assert.Equal(expected.LinksToRevoke, actual.LinksToRevoke);
    }

}
