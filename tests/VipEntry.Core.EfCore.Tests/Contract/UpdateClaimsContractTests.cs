using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Engine;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Contract;

/// <summary>
/// The contract of the update claims (<see cref="IVipEntryUpdateClaims"/>, issue 15 point 8) on every store: one claim
/// among racers, done → <see cref="VipEntryUpdateClaim.AlreadyDone"/>, a live lease → <see cref="VipEntryUpdateClaim.HeldElsewhere"/>
/// until it runs out, takeover after, only the holder marks done or releases, and a bounded purge of old done claims.
/// </summary>
public abstract class UpdateClaimsContractTests<TBackend>(TBackend backend) : StoreTestBase<TBackend>(backend)
    where TBackend : StoreBackend
{
    private const string Source = "telegram";
    private const int Racers = 16;

    private static readonly DateTimeOffset T1 = At(TimeSpan.FromTicks(12_345_678));
    private static readonly DateTimeOffset T2 = At(TimeSpan.FromTicks(25_432_109));
    // Before every done time of the other tests (the database may be shared between them): the purge's edge.
    private static readonly DateTimeOffset Early = At(TimeSpan.FromTicks(5_555_555));
    private static readonly DateTimeOffset EarlyEdge = At(TimeSpan.FromTicks(6_666_666));
    private static readonly DateTimeOffset T3 = At(TimeSpan.FromTicks(37_777_777));

    private static DateTimeOffset At(TimeSpan afterStart) => VipEntryStateMachine.ToStorePrecision(Start + afterStart);

    private IVipEntryUpdateClaims Claims() => NewScope().GetRequiredService<IVipEntryUpdateClaims>();

    [Fact]
    public async Task A_new_update_is_claimed_and_once_done_is_already_done_for_everyone()
    {
        Assert.Equal(VipEntryUpdateClaim.Claimed, await Claims().TryClaimAsync(Source, 1, "a", T1, T2));
        Assert.Equal(VipEntryUpdateClaim.HeldElsewhere, await Claims().TryClaimAsync(Source, 1, "b", T1, T2));
        Assert.False(await Claims().MarkDoneAsync(Source, 1, "b", T1));
        Assert.True(await Claims().MarkDoneAsync(Source, 1, "a", T1));
        Assert.False(await Claims().MarkDoneAsync(Source, 1, "a", T1));

        // Done stays done, even long after every lease ran out.
        Assert.Equal(VipEntryUpdateClaim.AlreadyDone, await Claims().TryClaimAsync(Source, 1, "b", T3, T3.AddMinutes(1)));
        Assert.Equal(VipEntryUpdateClaim.AlreadyDone, await Claims().TryClaimAsync(Source, 1, "a", T3, T3.AddMinutes(1)));

        // Another source, another update id: their own claims.
        Assert.Equal(VipEntryUpdateClaim.Claimed, await Claims().TryClaimAsync("other", 1, "b", T1, T2));
        Assert.Equal(VipEntryUpdateClaim.Claimed, await Claims().TryClaimAsync(Source, 2, "b", T1, T2));
    }

    [Fact]
    public async Task A_held_update_is_held_elsewhere_until_its_lease_runs_out_then_taken_over()
    {
        Assert.Equal(VipEntryUpdateClaim.Claimed, await Claims().TryClaimAsync(Source, 5, "a", T1, T2));
        Assert.Equal(VipEntryUpdateClaim.HeldElsewhere, await Claims().TryClaimAsync(Source, 5, "b", T2.AddTicks(-10), T3));

        // The lease ran out (at its instant): taken over; the first holder can no longer mark it done.
        Assert.Equal(VipEntryUpdateClaim.Claimed, await Claims().TryClaimAsync(Source, 5, "b", T2, T3));
        Assert.False(await Claims().MarkDoneAsync(Source, 5, "a", T2));
        Assert.Equal(VipEntryUpdateClaim.HeldElsewhere, await Claims().TryClaimAsync(Source, 5, "a", T2, T3));
        Assert.True(await Claims().MarkDoneAsync(Source, 5, "b", T2));
        Assert.Equal(VipEntryUpdateClaim.AlreadyDone, await Claims().TryClaimAsync(Source, 5, "a", T3, T3));
    }

    [Fact]
    public async Task A_released_claim_is_claimed_again_at_once_but_only_its_holder_releases_it()
    {
        Assert.Equal(VipEntryUpdateClaim.Claimed, await Claims().TryClaimAsync(Source, 9, "a", T1, T3));
        await Claims().ReleaseAsync(Source, 9, "b");
        Assert.Equal(VipEntryUpdateClaim.HeldElsewhere, await Claims().TryClaimAsync(Source, 9, "b", T1, T3));
        await Claims().ReleaseAsync(Source, 9, "a");
        Assert.Equal(VipEntryUpdateClaim.Claimed, await Claims().TryClaimAsync(Source, 9, "b", T1, T3));
        Assert.True(await Claims().MarkDoneAsync(Source, 9, "b", T2));

        // A done claim is not given back.
        await Claims().ReleaseAsync(Source, 9, "b");
        Assert.Equal(VipEntryUpdateClaim.AlreadyDone, await Claims().TryClaimAsync(Source, 9, "c", T2, T3));
    }

    [Fact]
    public async Task Racers_for_one_update_are_claimed_once()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i =>
            Task.Run(async () => await Claims().TryClaimAsync(Source, 42, $"racer{i}", T1, T2))));
        Assert.Equal(1, results.Count(r => r == VipEntryUpdateClaim.Claimed));
        Assert.Equal(Racers - 1, results.Count(r => r == VipEntryUpdateClaim.HeldElsewhere));

        // Racers on a run-out lease: one takes it over.
        var takeover = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i =>
            Task.Run(async () => await Claims().TryClaimAsync(Source, 42, $"late{i}", T2, T3))));
        Assert.Equal(1, takeover.Count(r => r == VipEntryUpdateClaim.Claimed));
    }

    [Fact]
    public async Task Purge_deletes_only_old_done_claims_in_bounded_batches()
    {
        for (var id = 100; id < 105; id++)
        {
            Assert.Equal(VipEntryUpdateClaim.Claimed, await Claims().TryClaimAsync(Source, id, "a", T1, T3));
            Assert.True(await Claims().MarkDoneAsync(Source, id, "a", Early));
        }

        Assert.Equal(VipEntryUpdateClaim.Claimed, await Claims().TryClaimAsync(Source, 200, "a", T1, T3));
        Assert.True(await Claims().MarkDoneAsync(Source, 200, "a", T3));
        Assert.Equal(VipEntryUpdateClaim.Claimed, await Claims().TryClaimAsync(Source, 300, "a", T1, T3));

        Assert.Equal(3, await Claims().PurgeAsync(EarlyEdge, 3));
        Assert.Equal(2, await Claims().PurgeAsync(EarlyEdge, 3));
        Assert.Equal(0, await Claims().PurgeAsync(EarlyEdge, 3));

        // Purged: a redelivery of so old an update is claimed anew. Newer done and unfinished claims stay.
        Assert.Equal(VipEntryUpdateClaim.Claimed, await Claims().TryClaimAsync(Source, 100, "b", T3, T3.AddMinutes(1)));
        Assert.Equal(VipEntryUpdateClaim.AlreadyDone, await Claims().TryClaimAsync(Source, 200, "b", T3, T3.AddMinutes(1)));
        Assert.Equal(VipEntryUpdateClaim.HeldElsewhere, await Claims().TryClaimAsync(Source, 300, "b", T2, T3));
    }
}
