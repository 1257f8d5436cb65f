using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.Tests.Storage;

public sealed class InMemoryVipEntryStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string HashA = new('a', 64);
    private static readonly string HashB = new('b', 64);

    private static async Task<InMemoryVipEntryStore> AtStage3Async(long id = 1)
    {
        var store = new InMemoryVipEntryStore();
        Assert.True(await store.TryCreateAsync(id, Now.AddDays(1)));
        Assert.True(await store.TryAdvanceAsync(id, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, Now));
        Assert.True(await store.TryAdvanceAsync(id, VipEntryStage.ExpectationAlignment, VipEntryStage.AccessDelivery, Now));
        return store;
    }

    [Fact]
    public async Task R1_Create_succeeds_once_per_subscriber()
    {
        var store = new InMemoryVipEntryStore();

        Assert.True(await store.TryCreateAsync(1, Now));
        Assert.False(await store.TryCreateAsync(1, Now.AddDays(5)));
        Assert.Equal(Now, (await store.FindAsync(1))!.SubscriptionEndsAt);
    }

    [Fact]
    public async Task R3_Advance_is_a_compare_and_set_on_stage_and_activity()
    {
        var store = new InMemoryVipEntryStore();
        await store.TryCreateAsync(1, Now.AddHours(1));

        Assert.False(await store.TryAdvanceAsync(1, VipEntryStage.ExpectationAlignment, VipEntryStage.AccessDelivery, Now));
        Assert.False(await store.TryAdvanceAsync(1, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, Now.AddHours(1)));
        Assert.True(await store.TryAdvanceAsync(1, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, Now));
        Assert.False(await store.TryAdvanceAsync(1, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, Now));
        Assert.False(await store.TryAdvanceAsync(2, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, Now));
    }

    [Fact]
    public async Task R5_A_grant_is_issued_only_when_none_exists_and_hashes_are_unique()
    {
        var store = await AtStage3Async(1);
        await AtStage3OnAsync(store, 2);

        Assert.True(await store.TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashA, Now, Now));
        Assert.False(await store.TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashB, Now, Now));
        Assert.False(await store.TryIssueGrantAsync(2, VipEntryStage.AccessDelivery, null, HashA, Now, Now));
        Assert.Equal(1, (await store.FindByTokenHashAsync(HashA))!.SubscriberId);
        Assert.Equal(Now, (await store.FindAsync(1))!.GrantIssuedAt);
    }

    [Fact]
    public async Task R7_Replacing_a_grant_respects_the_cooldown_edge_and_updates_the_indexes()
    {
        var store = await AtStage3Async();
        await store.TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashA, Now, Now);
        Assert.True(await store.TryRecordLinkAsync(1, HashA, "L1"));

        Assert.False(await store.TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, HashA, HashB, Now.AddMinutes(1), Now.AddTicks(-1)));
        Assert.True(await store.TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, HashA, HashB, Now.AddMinutes(10), Now));

        Assert.Null(await store.FindByTokenHashAsync(HashA));
        Assert.Null(await store.FindByLinkAsync("L1"));
        Assert.Equal(1, (await store.FindByTokenHashAsync(HashB))!.SubscriberId);
    }

    [Fact]
    public async Task R6_Redeem_requires_the_grant_hash_an_unexpired_grant_and_an_active_subscription()
    {
        var store = await AtStage3Async();
        await store.TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashA, Now, Now);
        await store.TryRecordLinkAsync(1, HashA, "L1");

        Assert.False(await store.TryRedeemAsync(1, VipEntryStage.AccessDelivery, HashB, Now, Now.AddHours(-24)));
        Assert.False(await store.TryRedeemAsync(1, VipEntryStage.AccessDelivery, HashA, Now, Now));
        Assert.False(await store.TryRedeemAsync(1, VipEntryStage.AccessDelivery, HashA, Now.AddDays(1), Now.AddHours(-1)));
        Assert.True(await store.TryRedeemAsync(1, VipEntryStage.AccessDelivery, HashA, Now, Now.AddHours(-24)));
        Assert.False(await store.TryRedeemAsync(1, VipEntryStage.AccessDelivery, HashA, Now, Now.AddHours(-24)));

        var record = await store.FindAsync(1);
        Assert.Equal(VipEntryStage.Completed, record!.Stage);
        Assert.Null(await store.FindByTokenHashAsync(HashA));
        Assert.Null(await store.FindByLinkAsync("L1"));
    }

    [Fact]
    public async Task R5_A_recorded_link_is_unique_and_set_once()
    {
        var store = await AtStage3Async(1);
        await AtStage3OnAsync(store, 2);
        await store.TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashA, Now, Now);
        await store.TryIssueGrantAsync(2, VipEntryStage.AccessDelivery, null, HashB, Now, Now);

        Assert.True(await store.TryRecordLinkAsync(1, HashA, "L1"));
        Assert.False(await store.TryRecordLinkAsync(1, HashA, "L2"));
        Assert.False(await store.TryRecordLinkAsync(2, HashB, "L1"));
        Assert.False(await store.TryWithdrawGrantAsync(1, HashA));
        Assert.True(await store.TryWithdrawGrantAsync(2, HashB));
        Assert.Null((await store.FindAsync(2))!.GrantTokenHash);
    }

    [Fact]
    public async Task R8_A_lapse_is_marked_once_and_revokes_the_grant()
    {
        var store = await AtStage3Async();
        await store.TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashA, Now, Now);
        var later = Now.AddDays(2);

        var listed = Assert.Single(await store.ListClaimableLapsesAsync(later, 10));
        Assert.Empty(await store.ListClaimableLapsesAsync(Now, 10));
        Assert.True(await store.TryClaimLapseAsync(listed, "claim-1", later, later.AddMinutes(10)));
        Assert.False(await store.TryClaimLapseAsync(listed, "claim-2", later, later.AddMinutes(10)));
        Assert.Empty(await store.ListClaimableLapsesAsync(later, 10));
        Assert.Null(await store.FindByTokenHashAsync(HashA));
        Assert.Equal("claim-1", (await store.FindAsync(1))!.LapseClaimId);
        Assert.True(await store.TryConfirmLapseAsync(1, "claim-1", later));
        Assert.Equal(later, (await store.FindAsync(1))!.LapseHandledAt);
    }

    [Fact]
    public async Task R2_A_renewal_based_on_a_record_read_before_a_sweep_does_not_apply()
    {
        var store = new InMemoryVipEntryStore();
        await store.TryCreateAsync(1, Now);
        Assert.True(await store.TrySkipAsync((await store.FindAsync(1))!, Now.AddTicks(-1)));
        var readBeforeSweep = (await store.FindAsync(1))!;
        Assert.True(await store.TryClaimLapseAsync(readBeforeSweep, "claim-1", Now, Now.AddMinutes(10)));

        // The renewal decided "completed and active: keep completed" from the stale read; the lapse since then must win.
        Assert.False(await store.TryRenewAsync(readBeforeSweep, Now.AddDays(30), restart: false));
        Assert.NotNull((await store.FindAsync(1))!.LapseClaimId);
    }

    [Fact]
    public async Task R15_Counts_per_stage_include_only_active_subscriptions()
    {
        var store = new InMemoryVipEntryStore();
        await store.TryCreateAsync(1, Now.AddDays(1));
        await store.TryCreateAsync(2, Now.AddDays(1));
        await store.TryCreateAsync(3, Now);

        var counts = await store.CountByStageAsync(Now);

        Assert.Equal(2, counts[VipEntryStage.ActivationConfirmation]);
        Assert.Single(counts);
    }

    [Fact]
    public async Task R11_Null_arguments_to_the_store_are_programmer_errors()
    {
        var store = new InMemoryVipEntryStore();

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.FindByTokenHashAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.FindByLinkAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.TryRenewAsync(null!, Now, restart: true));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.ListClaimableLapsesAsync(Now, 0));
    }

    private static async Task AtStage3OnAsync(InMemoryVipEntryStore store, long id)
    {
        Assert.True(await store.TryCreateAsync(id, Now.AddDays(1)));
        Assert.True(await store.TryAdvanceAsync(id, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, Now));
        Assert.True(await store.TryAdvanceAsync(id, VipEntryStage.ExpectationAlignment, VipEntryStage.AccessDelivery, Now));
    }
}
