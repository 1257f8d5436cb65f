using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Contract;

/// <summary>
/// The contract of channel membership on every store: re-entry (R16), owed channel work under a lease (R17), the
/// read-only status, and the review's defects that live between a read and the write that follows it. Times are
/// deliberately not whole seconds (nor whole microseconds, where the engine normalizes them).
/// </summary>
public abstract class ChannelMembershipContractTests<TBackend>(TBackend backend) : StoreTestBase<TBackend>(backend)
    where TBackend : StoreBackend
{
    private const VipEntryStage S1 = VipEntryStage.ActivationConfirmation;
    private const VipEntryStage S3 = VipEntryStage.AccessDelivery;
    private const VipEntryStage Done = VipEntryStage.Completed;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Odd = TimeSpan.FromTicks(12_345_678); // 1.2345678 s: below a microsecond too

    // ---- R17 through the store -------------------------------------------------------------

    [Fact]
    public async Task R17_two_sweepers_never_hold_the_same_lapse_at_once()
    {
        await EnrollAsync(1, TimeSpan.FromDays(1));
        Clock.Advance(TimeSpan.FromDays(1) + Odd);
        var listedByA = Assert.Single(await Store().ListClaimableLapsesAsync(Now, 10));
        var listedByB = Assert.Single(await Store().ListClaimableLapsesAsync(Now, 10));

        Assert.True(await Store().TryClaimLapseAsync(listedByA, "claim-a", Now, Now + Lease));
        Assert.False(await Store().TryClaimLapseAsync(listedByB, "claim-b", Now, Now + Lease));
        Assert.Equal("claim-a", (await GetAsync(1)).LapseClaimId);
        Assert.Empty(await Store().ListClaimableLapsesAsync(Now, 10));
        Assert.False(await Store().TryConfirmLapseAsync(1, "claim-b", Now));
    }

    [Fact]
    public async Task R17_an_unconfirmed_claim_is_handed_out_again_after_its_lease_and_only_then()
    {
        Links.Mode = TestLinkMode.Recorded;
        await EnrollAtStage3Async(1, TimeSpan.FromDays(1));
        var link = (await Machine().DeliverAccessAsync(1)).Access!.Link;
        Clock.Advance(TimeSpan.FromDays(1) + Odd);
        var listed = Assert.Single(await Store().ListClaimableLapsesAsync(Now, 10));
        var leaseUntil = VipEntryStateMachine.ToStorePrecision(Now + Lease);
        Assert.True(await Store().TryClaimLapseAsync(listed, "claim-1", Now, leaseUntil));
        var claimed = await GetAsync(1);
        Assert.Null(claimed.GrantTokenHash);
        Assert.Null(claimed.GrantLink);
        Assert.Equal(link, claimed.LapseLink);

        // The worker crashed: nothing is handed out while the lease runs, everything once it has run out.
        Assert.Empty(await Store().ListClaimableLapsesAsync(leaseUntil - TimeSpan.FromMilliseconds(1), 10));
        var again = Assert.Single(await Store().ListClaimableLapsesAsync(leaseUntil, 10));
        Assert.False(await Store().TryClaimLapseAsync(again, "claim-2", leaseUntil - TimeSpan.FromMilliseconds(1), leaseUntil + Lease));
        Assert.True(await Store().TryClaimLapseAsync(again, "claim-2", leaseUntil, leaseUntil + Lease));
        var reclaimed = await GetAsync(1);
        Assert.Equal("claim-2", reclaimed.LapseClaimId);
        Assert.Equal(link, reclaimed.LapseLink); // the link to revoke survives the crash

        // The first worker's late confirm is not the current claim's.
        Assert.False(await Store().TryConfirmLapseAsync(1, "claim-1", leaseUntil));
        Assert.True(await Store().TryConfirmLapseAsync(1, "claim-2", leaseUntil));
        var done = await GetAsync(1);
        Assert.Equal(leaseUntil, done.LapseHandledAt);
        Assert.Null(done.LapseClaimId);
        Assert.Null(done.LapseLeaseUntil);
        Assert.Null(done.LapseLink);
        Assert.Empty(await Store().ListClaimableLapsesAsync(leaseUntil + TimeSpan.FromDays(30), 10));
    }

    [Fact]
    public async Task R17_a_renewal_clears_an_unconfirmed_claim_and_its_confirm_then_matches_nothing()
    {
        await EnrollAsync(1, TimeSpan.FromDays(1));
        Clock.Advance(TimeSpan.FromDays(1) + Odd);
        var listed = Assert.Single(await Store().ListClaimableLapsesAsync(Now, 10));
        Assert.True(await Store().TryClaimLapseAsync(listed, "claim-1", Now, Now + Lease));
        var claimed = await GetAsync(1);
        Assert.False(await Store().TryRenewAsync(listed, Now.AddDays(30), restart: true)); // read before the claim
        Assert.True(await Store().TryRenewAsync(claimed, Now.AddDays(30), restart: true));
        var renewed = await GetAsync(1);
        Assert.Null(renewed.LapseClaimId);
        Assert.Null(renewed.LapseLeaseUntil);
        Assert.False(await Store().TryConfirmLapseAsync(1, "claim-1", Now));
        Assert.Null((await GetAsync(1)).LapseHandledAt);
    }

    // ---- R17 through the state machine ---------------------------------------------------------

    [Fact]
    public async Task R17_sweep_claims_under_a_lease_and_confirm_is_final()
    {
        Links.Mode = TestLinkMode.Recorded;
        await EnrollAsync(1, TimeSpan.FromDays(1));
        Assert.Equal(VipEntryOutcome.Skipped, (await Machine().SkipAsync(1, "admin", "comp")).Outcome);
        await EnrollAtStage3Async(2, TimeSpan.FromDays(1));
        var link = (await Machine().DeliverAccessAsync(2)).Access!.Link;
        Clock.Advance(TimeSpan.FromDays(1) + Odd);

        var swept = await Machine().SweepAsync();
        Assert.Equal([1L, 2L], swept.Lapses.Select(l => l.SubscriberId).Order());
        var completed = swept.Lapses.Single(l => l.SubscriberId == 1);
        var midRitual = swept.Lapses.Single(l => l.SubscriberId == 2);
        Assert.True(completed.ShouldRemoveFromChannel);
        Assert.False(midRitual.ShouldRemoveFromChannel);
        Assert.Equal(link, midRitual.LinkToRevoke);
        Assert.Equal(VipEntryStateMachine.ToStorePrecision(Now) + Lease, completed.LeaseExpiresAt);
        Assert.False(completed.IsRetry);
        Assert.Empty((await Machine().SweepAsync()).Lapses); // claimed, not handed out twice

        Assert.Equal(VipEntryOutcome.LapseConfirmed, (await Machine().ConfirmLapseHandledAsync(completed)).Outcome);
        Assert.Equal(VipEntryOutcome.LapseConfirmed, (await Machine().ConfirmLapseHandledAsync(midRitual)).Outcome);
        Assert.Equal(VipEntryOutcome.LapseClaimLost, (await Machine().ConfirmLapseHandledAsync(completed)).Outcome);
        Clock.Advance(Lease * 3);
        Assert.Empty((await Machine().SweepAsync()).Lapses); // nothing is reported again once confirmed
        Assert.Equal(VipEntryLapseState.Handled, (await Machine().GetStatusAsync(1)).Lapse);
    }

    [Fact]
    public async Task R17_a_crash_before_confirm_is_retried_after_the_lease_and_the_late_confirm_is_lost()
    {
        Links.Mode = TestLinkMode.Recorded;
        await EnrollAtStage3Async(1, TimeSpan.FromDays(1));
        var link = (await Machine().DeliverAccessAsync(1)).Access!.Link;
        Clock.Advance(TimeSpan.FromDays(1) + Odd);
        var first = Assert.Single((await Machine().SweepAsync()).Lapses);

        Clock.Advance(Lease - TimeSpan.FromMilliseconds(1));
        Assert.Empty((await Machine().SweepAsync()).Lapses);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var retry = Assert.Single((await Machine().SweepAsync()).Lapses);
        Assert.True(retry.IsRetry);
        Assert.Equal(link, retry.LinkToRevoke);
        Assert.NotEqual(first.ClaimId, retry.ClaimId);

        Assert.Equal(VipEntryOutcome.LapseClaimLost, (await Machine().ConfirmLapseHandledAsync(first)).Outcome);
        Assert.Equal(VipEntryOutcome.LapseConfirmed, (await Machine().ConfirmLapseHandledAsync(retry)).Outcome);
    }

    [Fact]
    public async Task R17_a_renewal_between_claim_and_confirm_gives_entitled_again()
    {
        await EnrollAsync(1, TimeSpan.FromDays(1));
        Assert.Equal(VipEntryOutcome.Skipped, (await Machine().SkipAsync(1, "admin", "comp")).Outcome);
        Clock.Advance(TimeSpan.FromDays(1) + Odd);
        var lapse = Assert.Single((await Machine().SweepAsync()).Lapses);
        Assert.True(lapse.ShouldRemoveFromChannel);

        // The removal is in flight (429s waited out) while the member pays again.
        var renewal = await Machine().ActivateAsync(1, Now.AddDays(30) + Odd);
        Assert.Equal(VipEntryOutcome.Restarted, renewal.Outcome);
        Assert.False(renewal.RemoveFromChannel); // the claimed worker removes them; its confirm says what to do next

        var confirmed = await Machine().ConfirmLapseHandledAsync(lapse);
        Assert.Equal(VipEntryOutcome.EntitledAgain, confirmed.Outcome);
        Assert.True(confirmed.Succeeded);
        Assert.Equal(S1, confirmed.Stage);
        Assert.Empty((await Machine().SweepAsync()).Lapses);
        Assert.Null((await GetAsync(1)).LapseHandledAt);
    }

    [Fact]
    public async Task R17_a_renewal_before_the_claim_cancels_the_channel_work()
    {
        await EnrollAsync(1, TimeSpan.FromDays(1));
        Assert.Equal(VipEntryOutcome.Skipped, (await Machine().SkipAsync(1, "admin", "comp")).Outcome);
        Clock.Advance(TimeSpan.FromDays(1) + Odd);
        var renewal = await Machine().ActivateAsync(1, Now.AddDays(30));
        Assert.Equal(VipEntryOutcome.Restarted, renewal.Outcome);
        Assert.True(renewal.RemoveFromChannel); // still inside: the renewal itself asks for the removal (R2)
        Assert.Empty((await Machine().SweepAsync()).Lapses);
    }

    [Fact]
    public async Task R17_concurrent_sweeps_hand_each_lapse_to_exactly_one_caller()
    {
        const int members = 12;
        for (var id = 1; id <= members; id++)
        {
            await EnrollAsync(id, TimeSpan.FromDays(1) + TimeSpan.FromTicks(id * 7));
        }

        Clock.Advance(TimeSpan.FromDays(2) + Odd);
        var scopes = Enumerable.Range(0, 6).Select(_ => NewScope()).ToArray();
        foreach (var scope in scopes)
        {
            await Backend.WarmUpAsync(scope);
        }

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sweeps = scopes.Select(scope => Task.Run(async () =>
        {
            await gate.Task;
            var machine = scope.GetRequiredService<IVipEntryStateMachine>();
            var claimed = new List<VipEntryLapse>();
            VipEntrySweepResult batch;
            do
            {
                batch = await machine.SweepAsync();
                claimed.AddRange(batch.Lapses);
            }
            while (batch.HasMore);
            return claimed;
        })).ToArray();
        gate.SetResult();
        var all = (await Task.WhenAll(sweeps)).SelectMany(c => c).ToList();
        Backend.ReleaseConnections();

        Assert.Equal(members, all.Count);
        Assert.Equal(Enumerable.Range(1, members).Select(i => (long)i), all.Select(l => l.SubscriberId).Order());
        foreach (var lapse in all)
        {
            Assert.Equal(VipEntryOutcome.LapseConfirmed, (await Machine().ConfirmLapseHandledAsync(lapse)).Outcome);
        }
    }

    // ---- R16 re-entry ----------------------------------------------------------------------

    [Fact]
    public async Task R16_a_completed_member_gets_a_reentry_grant_bound_to_them_shown_again_while_valid()
    {
        Links.Mode = TestLinkMode.Recorded;
        await EnrollAsync(1);
        Assert.Equal(VipEntryOutcome.Skipped, (await Machine().SkipAsync(1, "admin", "comp")).Outcome);
        Clock.Advance(Odd);
        var issued = await Machine().RequestReentryAsync(1);
        Assert.Equal(VipEntryOutcome.AccessIssued, issued.Outcome);
        Assert.Equal(Done, issued.Stage);
        Assert.Equal(VipEntryStateMachine.ToStorePrecision(Now) + TimeSpan.FromHours(24), issued.Access!.ExpiresAt);
        var stored = await GetAsync(1);
        Assert.Equal(Done, stored.Stage); // completed is still NULL; the grant columns are set on a completed row
        Assert.Equal(issued.Access.Link, stored.GrantLink);
        Assert.NotNull(stored.GrantTokenHash);

        Clock.Advance(TimeSpan.FromHours(1));
        var shown = await Machine().RequestReentryAsync(1);
        Assert.Equal(VipEntryOutcome.AccessShown, shown.Outcome);
        Assert.Equal(issued.Access.Link, shown.Access!.Link);
        Assert.Equal(issued.Access.ExpiresAt, shown.Access.ExpiresAt);
        Assert.Equal(stored.GrantTokenHash, (await GetAsync(1)).GrantTokenHash);
    }

    [Fact]
    public async Task R16_redeeming_a_reentry_grant_readmits_once_and_leaves_the_member_completed()
    {
        Links.Mode = TestLinkMode.Recorded;
        await EnrollAsync(1);
        await EnrollAsync(2);
        Assert.Equal(VipEntryOutcome.Skipped, (await Machine().SkipAsync(1, "admin", "comp")).Outcome);
        var link = (await Machine().RequestReentryAsync(1)).Access!.Link;

        var forwarded = await Machine().RedeemLinkAsync(2, link);
        Assert.Equal(VipEntryOutcome.Refused, forwarded.Outcome);
        Assert.Equal(link, (await GetAsync(1)).GrantLink); // the owner's grant stays valid

        Clock.Advance(Odd);
        var readmitted = await Machine().RedeemLinkAsync(1, link);
        Assert.Equal(VipEntryOutcome.Readmitted, readmitted.Outcome);
        Assert.Equal(Done, readmitted.Stage);
        Assert.Equal([link], readmitted.LinksToRevoke);
        var r = await GetAsync(1);
        Assert.Equal(Done, r.Stage);
        Assert.Null(r.GrantTokenHash);
        Assert.Null(r.GrantLink);
        Assert.NotEqual(VipEntryOutcome.Readmitted, (await Machine().RedeemLinkAsync(1, link)).Outcome);
    }

    [Fact]
    public async Task R16_a_reentry_token_is_redeemed_by_its_owner_only_and_expires()
    {
        await EnrollAsync(1);
        await EnrollAsync(2);
        Assert.Equal(VipEntryOutcome.Skipped, (await Machine().SkipAsync(1, "admin", "comp")).Outcome);
        var token = (await Machine().RequestReentryAsync(1)).Access!.Link;
        Assert.Equal(VipEntryOutcome.Refused, (await Machine().RedeemTokenAsync(2, token)).Outcome);
        Clock.Advance(TimeSpan.FromHours(24));
        Assert.Equal(VipEntryOutcome.LinkExpired, (await Machine().RedeemTokenAsync(1, token)).Outcome);

        // An expired re-entry grant is replaced on request (the cooldown has long passed); the old token is dead.
        var replaced = await Machine().RequestReentryAsync(1);
        Assert.Equal(VipEntryOutcome.AccessReissued, replaced.Outcome);
        Assert.Equal(VipEntryOutcome.AlreadyCompleted, (await Machine().RedeemTokenAsync(1, token)).Outcome);
        Assert.Equal(VipEntryOutcome.Readmitted, (await Machine().RedeemTokenAsync(1, replaced.Access!.Link)).Outcome);
    }

    [Fact]
    public async Task R16_reentry_for_anyone_but_a_completed_paying_member_says_why()
    {
        Assert.Equal(VipEntryOutcome.NotEnrolled, (await Machine().RequestReentryAsync(404)).Outcome);
        await EnrollAsync(1);
        var midRitual = await Machine().RequestReentryAsync(1);
        Assert.Equal(VipEntryOutcome.WrongStage, midRitual.Outcome);
        Assert.Equal(S1, midRitual.Stage);
        await EnrollAsync(2, TimeSpan.FromHours(1));
        Assert.Equal(VipEntryOutcome.Skipped, (await Machine().SkipAsync(2, "admin", "comp")).Outcome);
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(VipEntryOutcome.SubscriptionExpired, (await Machine().RequestReentryAsync(2)).Outcome);
        Assert.Null((await GetAsync(1)).GrantTokenHash);
        Assert.Null((await GetAsync(2)).GrantTokenHash);
    }

    [Fact]
    public async Task R16_R17_a_lapse_revokes_a_live_reentry_grant_and_removes_the_member()
    {
        Links.Mode = TestLinkMode.Recorded;
        await EnrollAsync(1, TimeSpan.FromDays(1));
        Assert.Equal(VipEntryOutcome.Skipped, (await Machine().SkipAsync(1, "admin", "comp")).Outcome);
        var link = (await Machine().RequestReentryAsync(1)).Access!.Link;
        Clock.Advance(TimeSpan.FromDays(1));
        var lapse = Assert.Single((await Machine().SweepAsync()).Lapses);
        Assert.True(lapse.ShouldRemoveFromChannel);
        Assert.Equal(link, lapse.LinkToRevoke);
        Assert.Equal(VipEntryOutcome.SubscriptionExpired, (await Machine().RedeemLinkAsync(1, link)).Outcome);
    }

    // ---- status and cooldowns ----------------------------------------------------------------

    [Fact]
    public async Task Status_is_read_only_and_says_where_the_member_stands()
    {
        Links.Mode = TestLinkMode.Recorded;
        Assert.Equal(VipEntryStage.NotEnrolled, (await Machine().GetStatusAsync(404)).Stage);
        await EnrollAtStage3Async(1, TimeSpan.FromDays(1));
        var before = await GetAsync(1);
        var status = await Machine().GetStatusAsync(1);
        Assert.Equal(before, await GetAsync(1)); // no grant issued at stage 3 by a status read
        Assert.Equal(S3, status.Stage);
        Assert.True(status.IsActive);
        Assert.False(status.HasLiveGrant);
        Assert.False(status.CanRequestReentry);
        Assert.Equal(VipEntryLapseState.None, status.Lapse);

        var access = (await Machine().DeliverAccessAsync(1)).Access!;
        status = await Machine().GetStatusAsync(1);
        Assert.True(status.HasLiveGrant);
        Assert.True(status.HasRecordedLink);
        Assert.Equal(access.ExpiresAt, status.GrantExpiresAt);
        Assert.Equal(VipEntryOutcome.Redeemed, (await Machine().RedeemLinkAsync(1, access.Link)).Outcome);
        status = await Machine().GetStatusAsync(1);
        Assert.True(status.IsEntitled);
        Assert.True(status.CanRequestReentry);

        Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(VipEntryLapseState.Pending, (await Machine().GetStatusAsync(1)).Lapse);
        Assert.False((await Machine().GetStatusAsync(1)).IsEntitled);
        var lapse = Assert.Single((await Machine().SweepAsync()).Lapses);
        Assert.Equal(VipEntryLapseState.Claimed, (await Machine().GetStatusAsync(1)).Lapse);
        await Machine().ConfirmLapseHandledAsync(lapse);
        Assert.Equal(VipEntryLapseState.Handled, (await Machine().GetStatusAsync(1)).Lapse);
    }

    [Fact]
    public async Task R7_a_refused_reissue_says_how_long_to_wait()
    {
        await EnrollAtStage3Async(1);
        Clock.Advance(Odd);
        var issuedAt = VipEntryStateMachine.ToStorePrecision(Now);
        Assert.Equal(VipEntryOutcome.AccessIssued, (await Machine().DeliverAccessAsync(1)).Outcome);
        Clock.Advance(TimeSpan.FromMinutes(1) + Odd);
        var tooSoon = await Machine().ReissueAccessAsync(1);
        Assert.Equal(VipEntryOutcome.ReissueTooSoon, tooSoon.Outcome);
        Assert.Equal(issuedAt + TimeSpan.FromMinutes(5) - VipEntryStateMachine.ToStorePrecision(Now), tooSoon.RetryAfter);
        Clock.Advance(tooSoon.RetryAfter!.Value);
        Assert.Equal(VipEntryOutcome.AccessReissued, (await Machine().ReissueAccessAsync(1)).Outcome);
    }

    // ---- defects found in review -------------------------------------------------------------

    [Fact]
    public async Task Defect2_a_retried_activation_with_a_sub_microsecond_end_does_not_restart_the_member()
    {
        Links.Mode = TestLinkMode.Recorded;
        Clock.Advance(Odd);
        var ends = Now.AddDays(30).AddTicks(3);
        if (Backend.CanCreate)
        {
            Assert.Equal(VipEntryOutcome.Started, (await Machine().ActivateAsync(1, ends)).Outcome);
        }
        else
        {
            await Backend.SeedHostRowAsync(Provider, 1, ends);
            Assert.Equal(VipEntryOutcome.AtStage, (await Machine().ActivateAsync(1, ends)).Outcome);
        }

        Assert.True(await Store().TryAdvanceAsync(1, S1, VipEntryStage.ExpectationAlignment, Now));
        Assert.True(await Store().TryAdvanceAsync(1, VipEntryStage.ExpectationAlignment, S3, Now));
        var link = (await Machine().DeliverAccessAsync(1)).Access!.Link;

        // The payment webhook is delivered again with the same end.
        var retried = await Machine().ActivateAsync(1, ends);
        Assert.Equal(VipEntryOutcome.AtStage, retried.Outcome);
        Assert.Empty(retried.LinksToRevoke);
        var r = await GetAsync(1);
        Assert.Equal(S3, r.Stage);
        Assert.Equal(link, r.GrantLink);
    }

    [Fact]
    public async Task Defect3_a_link_recorded_after_the_read_is_never_dropped_by_renewal_or_lapse()
    {
        await EnrollAtStage3Async(1, TimeSpan.FromDays(1));
        Assert.True(await Store().TryIssueGrantAsync(1, S3, null, HashOf('a'), Now, Now));
        var readBeforeLink = await GetAsync(1);

        // The link issuer finishes between the renewal's (or sweep's) read and its write.
        Assert.True(await Store().TryRecordLinkAsync(1, HashOf('a'), "https://t.me/+late"));
        Assert.False(await Store().TryRenewAsync(readBeforeLink, Now.AddDays(60), restart: true));
        Clock.Advance(TimeSpan.FromDays(1) + Odd);
        Assert.False(await Store().TryClaimLapseAsync(readBeforeLink, "claim-1", Now, Now + Lease));
        var kept = await GetAsync(1);
        Assert.Equal("https://t.me/+late", kept.GrantLink);
        Assert.Null(kept.LapseClaimId);

        // Read again, the lapse carries the link to revoke.
        var lapse = Assert.Single((await Machine().SweepAsync()).Lapses);
        Assert.Equal("https://t.me/+late", lapse.LinkToRevoke);
    }

    [Fact]
    public async Task R2_a_restart_reports_the_recorded_link_for_revocation()
    {
        await EnrollAtStage3Async(1);
        Assert.True(await Store().TryIssueGrantAsync(1, S3, null, HashOf('b'), Now, Now));
        Assert.True(await Store().TryRecordLinkAsync(1, HashOf('b'), "https://t.me/+b"));
        var renewal = await Machine().ActivateAsync(1, Now.AddDays(90) + Odd);
        Assert.Equal(VipEntryOutcome.Restarted, renewal.Outcome);
        Assert.Equal(["https://t.me/+b"], renewal.LinksToRevoke);
    }

    [Fact]
    public async Task Defect6_a_cancelled_link_issuer_leaves_no_grant_and_the_member_can_ask_again_at_once()
    {
        await EnrollAtStage3Async(1);
        Links.Mode = TestLinkMode.Cancelled;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Machine().DeliverAccessAsync(1));
        var r = await GetAsync(1);
        Assert.Null(r.GrantTokenHash);
        Assert.Null(r.GrantIssuedAt);

        Links.Mode = TestLinkMode.Recorded;
        var step = await Machine().GetStepAsync(1);
        Assert.Equal(VipEntryOutcome.AccessIssued, step.Result.Outcome);
        Assert.NotNull(step.Result.Access);
    }
}
