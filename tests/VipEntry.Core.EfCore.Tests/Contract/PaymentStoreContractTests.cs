using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Engine;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Contract;

/// <summary>
/// The contract of the payment store (<see cref="IVipEntryPaymentStore"/>, issue 17) on every store: a payment is recorded
/// once per charge id and claimed by its first receiver; a redelivery is held elsewhere, already applied, or a takeover once
/// the lease ran out, and never overwrites what was recorded; only the holder marks applied or releases; a worker claims the
/// unapplied payments whose holder died, oldest first, in bounded batches; a refund is marked once, ends the application
/// and owes the renewal's cancellation, which is handed to one worker at a time until its holder confirms it. Racers on
/// one payment and on the batch claims are served exactly once.
/// </summary>
public abstract class PaymentStoreContractTests<TBackend>(TBackend backend) : StoreTestBase<TBackend>(backend)
    where TBackend : StoreBackend
{
    private const int Racers = 16;
    private const int BatchRows = 50;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    // Not whole seconds, at store precision (whole microseconds).
    private static readonly DateTimeOffset T0 = At(TimeSpan.FromTicks(11_234_560));
    private static readonly DateTimeOffset T1 = At(TimeSpan.FromTicks(22_345_670));
    private static readonly DateTimeOffset T2 = At(TimeSpan.FromTicks(33_456_780));
    private static readonly DateTimeOffset T3 = At(TimeSpan.FromTicks(44_567_890));

    private static DateTimeOffset At(TimeSpan afterStart) => VipEntryStateMachine.ToStorePrecision(Start + afterStart);

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Backend.ResetPaymentsAsync(Provider);
    }

    private IVipEntryPaymentStore Payments() => NewScope().GetRequiredService<IVipEntryPaymentStore>();

    private static VipEntryPayment Pay(string chargeId, long personId = 100, DateTimeOffset? paidAt = null, long amount = 250) =>
        new(chargeId, personId, "XTR", amount, paidAt ?? T0, (paidAt ?? T0).AddDays(30).AddTicks(1_234_560), IsRecurring: true, IsFirstRecurring: true);

    [Fact]
    public async Task Issue17_A_new_payment_is_recorded_as_received_and_claimed_by_its_receiver()
    {
        var payment = Pay("new-1");
        Assert.Null(await Payments().FindAsync("new-1"));
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(payment, "a", T1, T1 + Lease));

        var recorded = await Payments().FindAsync("new-1");
        Assert.Equal(payment, recorded);
        Assert.Null(recorded!.AppliedAt);
        Assert.False(recorded.IsRenewalCancelOwed);

        // What the receiver handed in beyond the payment itself is not recorded: a new payment is owed its application.
        var claimedApplied = Pay("new-2", paidAt: T1) with { AppliedAt = T1, RefundedAt = T1, RenewalCanceledAt = T1, IsRecurring = false };
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(claimedApplied, "a", T1, T1 + Lease));
        Assert.Equal(claimedApplied with { AppliedAt = null, RefundedAt = null, RenewalCanceledAt = null }, await Payments().FindAsync("new-2"));
        Assert.True(await Payments().MarkAppliedAsync("new-2", "a", T2));
    }

    [Fact]
    public async Task Issue17_A_redelivery_while_held_is_held_elsewhere_and_never_overwrites_the_recorded_payment()
    {
        var payment = Pay("held-1");
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(payment, "a", T1, T2));

        var forged = new VipEntryPayment("held-1", 999, "USD", 1, T3, T3, IsRecurring: false, IsFirstRecurring: false, AppliedAt: T3, RefundedAt: T3, RenewalCanceledAt: T3);
        Assert.Equal(VipEntryPaymentClaim.HeldElsewhere, await Payments().TryClaimAsync(forged, "b", T2.AddTicks(-10), T3));
        Assert.Equal(payment, await Payments().FindAsync("held-1"));

        // A takeover after the lease ran out claims the recorded payment, not the redelivered fields.
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(forged, "b", T2, T3));
        Assert.Equal(payment, await Payments().FindAsync("held-1"));
        Assert.True(await Payments().MarkAppliedAsync("held-1", "b", T2));
        Assert.Equal(payment with { AppliedAt = T2 }, await Payments().FindAsync("held-1"));
    }

    [Fact]
    public async Task Issue17_Once_applied_a_payment_is_already_applied_for_every_redelivery_and_only_its_holder_marks_it()
    {
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("ap-1"), "a", T1, T2));
        Assert.False(await Payments().MarkAppliedAsync("ap-1", "b", T1));
        Assert.False(await Payments().MarkAppliedAsync("unknown", "a", T1));
        Assert.Null((await Payments().FindAsync("ap-1"))!.AppliedAt);
        Assert.True(await Payments().MarkAppliedAsync("ap-1", "a", T1));
        Assert.False(await Payments().MarkAppliedAsync("ap-1", "a", T2));
        Assert.Equal(T1, (await Payments().FindAsync("ap-1"))!.AppliedAt);

        // Applied stays applied, long after every lease ran out, for anyone.
        Assert.Equal(VipEntryPaymentClaim.AlreadyApplied, await Payments().TryClaimAsync(Pay("ap-1"), "b", T1, T2));
        Assert.Equal(VipEntryPaymentClaim.AlreadyApplied, await Payments().TryClaimAsync(Pay("ap-1"), "a", T3, T3 + Lease));
    }

    [Fact]
    public async Task Issue17_A_held_payment_is_taken_over_when_its_lease_runs_out_and_the_first_holder_loses_it()
    {
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("to-1"), "a", T0, T1));
        Assert.Equal(VipEntryPaymentClaim.HeldElsewhere, await Payments().TryClaimAsync(Pay("to-1"), "b", T1.AddTicks(-10), T2));

        // At the lease's instant it ran out.
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("to-1"), "b", T1, T2));
        Assert.False(await Payments().MarkAppliedAsync("to-1", "a", T1));
        Assert.Equal(VipEntryPaymentClaim.HeldElsewhere, await Payments().TryClaimAsync(Pay("to-1"), "a", T1, T3));
        Assert.True(await Payments().MarkAppliedAsync("to-1", "b", T1));
    }

    [Fact]
    public async Task Issue17_A_released_payment_is_claimed_again_at_once_but_only_its_holder_releases_it()
    {
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("rel-1"), "a", T0, T3));
        await Payments().ReleaseAsync("rel-1", "b");
        Assert.Equal(VipEntryPaymentClaim.HeldElsewhere, await Payments().TryClaimAsync(Pay("rel-1"), "b", T0, T3));
        await Payments().ReleaseAsync("rel-1", "a");
        await Payments().ReleaseAsync("unknown", "a");
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("rel-1"), "b", T0, T3));
        Assert.False(await Payments().MarkAppliedAsync("rel-1", "a", T1));
        Assert.True(await Payments().MarkAppliedAsync("rel-1", "b", T1));

        // An applied payment is not given back.
        await Payments().ReleaseAsync("rel-1", "b");
        Assert.Equal(VipEntryPaymentClaim.AlreadyApplied, await Payments().TryClaimAsync(Pay("rel-1"), "c", T1, T3));
        Assert.Empty(await Payments().ClaimUnappliedAsync("w", T1, T3, 10));
    }

    [Fact]
    public async Task Issue17_ClaimUnapplied_takes_the_orphaned_payments_oldest_first_in_bounded_batches_and_skips_the_rest()
    {
        // Orphaned (lease ran out, or released): u-old (T0), u-tie-a and u-tie-b (T1, a tie broken by charge id), u-new (T2).
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("u-new", paidAt: T2), "dead", T0, T1));
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("u-tie-b", paidAt: T1), "dead", T0, T1));
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("u-old", paidAt: T0), "dead", T0, T1));
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("u-tie-a", paidAt: T1), "failed", T0, T3));
        await Payments().ReleaseAsync("u-tie-a", "failed");

        // Not claimable: held (live lease), applied, refunded before it was applied.
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("u-held", paidAt: T0.AddTicks(-10)), "live", T0, T3));
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("u-applied", paidAt: T0.AddTicks(-20)), "x", T0, T1));
        Assert.True(await Payments().MarkAppliedAsync("u-applied", "x", T0));
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("u-refunded", paidAt: T0.AddTicks(-30)), "dead", T0, T1));
        Assert.True(await Payments().MarkRefundedAsync("u-refunded", T0));

        var first = await Payments().ClaimUnappliedAsync("w1", T1, T2, 2);
        Assert.Equal(["u-old", "u-tie-a"], first.Select(p => p.ChargeId));
        Assert.Equal(Pay("u-old", paidAt: T0), first[0]);
        var second = await Payments().ClaimUnappliedAsync("w2", T1, T2, 2);
        Assert.Equal(["u-tie-b", "u-new"], second.Select(p => p.ChargeId));
        Assert.Empty(await Payments().ClaimUnappliedAsync("w3", T1, T2, 2));

        // The claims are the workers': a redelivery is held elsewhere, each worker marks its own.
        Assert.Equal(VipEntryPaymentClaim.HeldElsewhere, await Payments().TryClaimAsync(Pay("u-old", paidAt: T0), "r", T1, T2));
        Assert.False(await Payments().MarkAppliedAsync("u-old", "w2", T1));
        Assert.True(await Payments().MarkAppliedAsync("u-old", "w1", T1));
        Assert.True(await Payments().MarkAppliedAsync("u-new", "w2", T1));

        // A worker that died: its claims are handed out again once their lease ran out; never the applied ones.
        Assert.Equal(["u-tie-a", "u-tie-b"], (await Payments().ClaimUnappliedAsync("w4", T2, T3 + Lease, 10)).Select(p => p.ChargeId));
        Assert.Equal(["u-held"], (await Payments().ClaimUnappliedAsync("w5", T3, T3 + Lease, 10)).Select(p => p.ChargeId));
    }

    [Fact]
    public async Task Issue17_FindLatest_is_the_members_greatest_paid_at_with_ties_broken_by_charge_id()
    {
        Assert.Null(await Payments().FindLatestAsync(700));
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("l-b", 700, T1), "a", T0, T1));
        Assert.Equal("l-b", (await Payments().FindLatestAsync(700))!.ChargeId);
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("l-a", 700, T2), "a", T0, T1));
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("l-0", 700, T0), "a", T0, T1));
        Assert.Equal("l-a", (await Payments().FindLatestAsync(700))!.ChargeId);

        // A tie on paid_at: the greater charge id; someone else's later payment is not theirs.
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("l-c", 700, T2), "a", T0, T1));
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("l-z", 701, T3), "a", T0, T1));
        Assert.Equal(Pay("l-c", 700, T2), await Payments().FindLatestAsync(700));
        Assert.Equal("l-z", (await Payments().FindLatestAsync(701))!.ChargeId);

        // Refunded or applied, the latest payment is still the latest.
        Assert.True(await Payments().MarkRefundedAsync("l-c", T3));
        Assert.Equal(T3, (await Payments().FindLatestAsync(700))!.RefundedAt);
    }

    [Fact]
    public async Task Issue17_A_refund_is_marked_once_ends_the_application_and_owes_the_renewal_cancellation()
    {
        Assert.False(await Payments().MarkRefundedAsync("unknown", T1));

        // Refunded while its receiver applies it: never applied, for the holder or anyone.
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("rf-1"), "a", T0, T3));
        Assert.True(await Payments().MarkRefundedAsync("rf-1", T1));
        Assert.False(await Payments().MarkRefundedAsync("rf-1", T2));
        Assert.False(await Payments().MarkAppliedAsync("rf-1", "a", T1));
        Assert.Equal(VipEntryPaymentClaim.AlreadyApplied, await Payments().TryClaimAsync(Pay("rf-1"), "b", T3, T3 + Lease));
        Assert.Empty(await Payments().ClaimUnappliedAsync("w", T3, T3 + Lease, 10));
        var refunded = await Payments().FindAsync("rf-1");
        Assert.Equal(Pay("rf-1") with { RefundedAt = T1 }, refunded);
        Assert.True(refunded!.IsRenewalCancelOwed);

        // An applied payment refunded later keeps its application.
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("rf-2"), "a", T0, T3));
        Assert.True(await Payments().MarkAppliedAsync("rf-2", "a", T0));
        Assert.True(await Payments().MarkRefundedAsync("rf-2", T2));
        Assert.Equal(Pay("rf-2") with { AppliedAt = T0, RefundedAt = T2 }, await Payments().FindAsync("rf-2"));
    }

    [Fact]
    public async Task Issue17_Owed_cancellations_are_claimed_once_confirmed_only_by_their_holder_and_handed_out_again_after_a_failure()
    {
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("c-1", paidAt: T0), "a", T0, T1));
        Assert.True(await Payments().MarkAppliedAsync("c-1", "a", T0));
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("c-2", paidAt: T1), "a", T0, T1));
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("c-3", paidAt: T1), "a", T0, T1));
        Assert.True(await Payments().MarkAppliedAsync("c-3", "a", T0));
        Assert.Empty(await Payments().ClaimOwedCancellationsAsync("w", T1, T2, 10));

        // Refunded: c-2 first, then c-1; c-3 is not refunded.
        Assert.True(await Payments().MarkRefundedAsync("c-2", T1));
        Assert.True(await Payments().MarkRefundedAsync("c-1", T1.AddTicks(10)));
        var claimed = await Payments().ClaimOwedCancellationsAsync("w1", T1, T2, 10);
        Assert.Equal(["c-2", "c-1"], claimed.Select(p => p.ChargeId));
        Assert.All(claimed, p => Assert.True(p.IsRenewalCancelOwed));
        Assert.Empty(await Payments().ClaimOwedCancellationsAsync("w2", T1, T2, 10));

        // Only the holder confirms, once; the holder's application token cannot touch it.
        Assert.False(await Payments().ConfirmRenewalCanceledAsync("c-2", "w2", T1));
        Assert.False(await Payments().ConfirmRenewalCanceledAsync("c-3", "w1", T1));
        Assert.False(await Payments().MarkAppliedAsync("c-2", "w1", T1));
        await Payments().ReleaseAsync("c-2", "w1");
        Assert.Empty(await Payments().ClaimOwedCancellationsAsync("w2", T1, T2, 10));
        Assert.True(await Payments().ConfirmRenewalCanceledAsync("c-2", "w1", T1));
        Assert.False(await Payments().ConfirmRenewalCanceledAsync("c-2", "w1", T1));
        var confirmed = await Payments().FindAsync("c-2");
        Assert.Equal(T1, confirmed!.RenewalCanceledAt);
        Assert.False(confirmed.IsRenewalCancelOwed);

        // c-1's cancellation failed (never confirmed): handed out again when the lease runs out, and the first holder is out.
        Assert.Empty(await Payments().ClaimOwedCancellationsAsync("w2", T2.AddTicks(-10), T3, 10));
        Assert.Equal(["c-1"], (await Payments().ClaimOwedCancellationsAsync("w2", T2, T3, 1)).Select(p => p.ChargeId));
        Assert.False(await Payments().ConfirmRenewalCanceledAsync("c-1", "w1", T2));
        Assert.True(await Payments().ConfirmRenewalCanceledAsync("c-1", "w2", T2));
        Assert.Empty(await Payments().ClaimOwedCancellationsAsync("w3", T3 + Lease, T3 + Lease + Lease, 10));
        Assert.Equal(T0, (await Payments().FindAsync("c-1"))!.AppliedAt);
    }

    [Fact]
    public async Task Issue17_Instants_round_trip_exactly_at_store_precision_and_finer_ones_are_truncated_to_microseconds()
    {
        var paid = Start.AddTicks(98_765_430).ToOffset(TimeSpan.FromHours(3));
        var payment = new VipEntryPayment("time-1", 5, "XTR", 1, paid, paid.AddDays(30).AddTicks(47), true, false);
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(payment, "a", T0, T1));
        Assert.True(await Payments().MarkAppliedAsync("time-1", "a", T1.AddTicks(7)));
        Assert.True(await Payments().MarkRefundedAsync("time-1", T2.AddTicks(3)));
        var read = (await Payments().FindAsync("time-1"))!;
        Assert.Equal(paid, read.PaidAt);
        Assert.NotEqual(0, read.PaidAt.UtcTicks % TimeSpan.TicksPerSecond);
        if (Backend.NormalizesTimes)
        {
            Assert.Equal(TimeSpan.Zero, read.PaidAt.Offset);
            Assert.Equal(paid.AddDays(30).AddTicks(40), read.PeriodEnd);
            Assert.Equal(T1, read.AppliedAt);
            Assert.Equal(T2, read.RefundedAt);
        }
        else
        {
            Assert.Equal(payment.PeriodEnd, read.PeriodEnd);
            Assert.Equal(T1.AddTicks(7), read.AppliedAt);
        }

        // A lease compared at microseconds: held until its stored instant, free at it.
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("time-2"), "a", T0, T1.AddTicks(120)));
        Assert.Equal(VipEntryPaymentClaim.HeldElsewhere, await Payments().TryClaimAsync(Pay("time-2"), "b", T1.AddTicks(110), T3));
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay("time-2"), "b", T1.AddTicks(120), T3));
    }

    [Fact]
    public async Task Issue17_Arguments_out_of_the_stores_limits_are_refused()
    {
        var store = Payments();
        var longId = new string('c', IVipEntryPaymentStore.MaxChargeIdLength + 1);
        var longOwner = new string('o', IVipEntryPaymentStore.MaxOwnerLength + 1);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.TryClaimAsync(Pay(longId), "a", T0, T1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.TryClaimAsync(Pay("ok"), longOwner, T0, T1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.TryClaimAsync(Pay("ok") with { Currency = "TOOLONGCC" }, "a", T0, T1));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryClaimAsync(Pay(""), "a", T0, T1));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryClaimAsync(Pay("ok"), "", T0, T1));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryClaimAsync(Pay("ok") with { Currency = "" }, "a", T0, T1));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.TryClaimAsync(null!, "a", T0, T1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.MarkAppliedAsync(longId, "a", T0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.MarkAppliedAsync("ok", longOwner, T0));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.MarkAppliedAsync("", "a", T0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.ReleaseAsync(longId, "a"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.ReleaseAsync("ok", ""));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.ClaimUnappliedAsync(longOwner, T0, T1, 1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.ClaimUnappliedAsync("a", T0, T1, 0));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.ClaimUnappliedAsync("", T0, T1, 1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.FindAsync(longId));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.FindAsync(""));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.MarkRefundedAsync(longId, T0));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.MarkRefundedAsync("", T0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.ClaimOwedCancellationsAsync("a", T0, T1, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.ClaimOwedCancellationsAsync(longOwner, T0, T1, 1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.ConfirmRenewalCanceledAsync("ok", longOwner, T0));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.ConfirmRenewalCanceledAsync("", "a", T0));

        // The longest ones are fine, and nothing was recorded by the refused calls.
        var longest = new string('c', IVipEntryPaymentStore.MaxChargeIdLength);
        Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay(longest) with { Currency = "ABCDEFGH" }, new string('o', IVipEntryPaymentStore.MaxOwnerLength), T0, T1));
        Assert.Equal("ABCDEFGH", (await Payments().FindAsync(longest))!.Currency);
        Assert.Null(await Payments().FindAsync("ok"));
    }

    [Fact]
    public async Task Issue17_Racers_recording_one_new_payment_from_separate_contexts_claim_it_once()
    {
        var stores = await RacersAsync(Racers);
        using var gate = new SemaphoreSlim(0);
        var results = stores.Select((store, i) => Task.Run(async () =>
        {
            await gate.WaitAsync();
            return await store.TryClaimAsync(Pay("race-1"), $"racer{i}", T0, T2);
        })).ToList();
        gate.Release(Racers);
        var claims = await Task.WhenAll(results);
        Assert.Equal(1, claims.Count(c => c == VipEntryPaymentClaim.Claimed));
        Assert.Equal(Racers - 1, claims.Count(c => c == VipEntryPaymentClaim.HeldElsewhere));
        Assert.Equal(Pay("race-1"), await Payments().FindAsync("race-1"));

        // Racers on the run-out lease: one takes it over.
        stores = await RacersAsync(Racers);
        results = stores.Select((store, i) => Task.Run(async () =>
        {
            await gate.WaitAsync();
            return await store.TryClaimAsync(Pay("race-1"), $"late{i}", T2, T3);
        })).ToList();
        gate.Release(Racers);
        Assert.Equal(1, (await Task.WhenAll(results)).Count(c => c == VipEntryPaymentClaim.Claimed));
        Backend.ReleaseConnections();
    }

    [Fact]
    public async Task Issue17_Two_workers_claiming_at_once_share_the_orphaned_payments_and_the_owed_cancellations_disjointly()
    {
        for (var i = 0; i < BatchRows; i++)
        {
            Assert.Equal(VipEntryPaymentClaim.Claimed, await Payments().TryClaimAsync(Pay($"b-{i:D2}", paidAt: T0.AddTicks(i * 10)), "dead", T0, T1));
        }

        var (a, b) = await RaceAsync(s => s.ClaimUnappliedAsync("w-a", T1, T2, BatchRows), s => s.ClaimUnappliedAsync("w-b", T1, T2, BatchRows));
        AssertShared(a, b);

        // Each worker marks its own; then all are refunded, and two workers race for the owed cancellations.
        foreach (var (claimed, owner) in new[] { (a, "w-a"), (b, "w-b") })
        {
            foreach (var payment in claimed)
            {
                Assert.True(await Payments().MarkAppliedAsync(payment.ChargeId, owner, T1));
            }
        }

        for (var i = 0; i < BatchRows; i++)
        {
            Assert.True(await Payments().MarkRefundedAsync($"b-{i:D2}", T1.AddTicks(i * 10)));
        }

        var (c, d) = await RaceAsync(s => s.ClaimOwedCancellationsAsync("w-c", T1, T2, BatchRows), s => s.ClaimOwedCancellationsAsync("w-d", T1, T2, BatchRows));
        AssertShared(c, d);
        Backend.ReleaseConnections();
    }

    private static void AssertShared(IReadOnlyList<VipEntryPayment> a, IReadOnlyList<VipEntryPayment> b)
    {
        var first = a.Select(p => p.ChargeId).ToHashSet(StringComparer.Ordinal);
        var second = b.Select(p => p.ChargeId).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(first.Intersect(second));
        Assert.Equal(Enumerable.Range(0, BatchRows).Select(i => $"b-{i:D2}"), first.Union(second).Order(StringComparer.Ordinal));
    }

    private async Task<(IReadOnlyList<VipEntryPayment> A, IReadOnlyList<VipEntryPayment> B)> RaceAsync(
        Func<IVipEntryPaymentStore, ValueTask<IReadOnlyList<VipEntryPayment>>> first,
        Func<IVipEntryPaymentStore, ValueTask<IReadOnlyList<VipEntryPayment>>> second)
    {
        var stores = await RacersAsync(2);
        using var gate = new SemaphoreSlim(0);
        var a = Task.Run(async () =>
        {
            await gate.WaitAsync();
            return await first(stores[0]);
        });
        var b = Task.Run(async () =>
        {
            await gate.WaitAsync();
            return await second(stores[1]);
        });
        gate.Release(2);
        return (await a, await b);
    }

    // One scope (one context, its connection open) per racer, so the race is on the statements.
    private async Task<List<IVipEntryPaymentStore>> RacersAsync(int count)
    {
        var stores = new List<IVipEntryPaymentStore>();
        for (var i = 0; i < count; i++)
        {
            var scope = NewScope();
            await Backend.WarmUpAsync(scope);
            stores.Add(scope.GetRequiredService<IVipEntryPaymentStore>());
        }

        return stores;
    }
}
