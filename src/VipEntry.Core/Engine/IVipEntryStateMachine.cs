using System.Globalization;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;

namespace VipEntry.Core.Engine;

/// <summary>
/// The VIP entry ritual. Every method returns a result value saying what happened (R13); input a member
/// can send never makes it throw (R11). Safe to call concurrently from many threads, processes and replicas.
/// </summary>
public interface IVipEntryStateMachine
{
    /// <summary>
    /// Records that the subscription of <paramref name="subscriberId"/> is active until <paramref name="subscriptionEndsAt"/>:
    /// enrolls a newcomer at stage 1 (R1) or applies the renewal rules (R2).
    /// </summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="subscriptionEndsAt">When the (new) subscription ends; any offset, stored as UTC.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="VipEntryOutcome.Started"/>, <see cref="VipEntryOutcome.Renewed"/>, <see cref="VipEntryOutcome.Restarted"/> (with links to revoke), or why not.</returns>
    ValueTask<VipEntryResult> ActivateAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="ActivateAsync"/> for many subscribers at once (promotions, importing an existing subscriber list): R1 and
    /// R2 apply to each member exactly as <see cref="ActivateAsync"/> applies them (a newcomer starts at stage 1, the renewal
    /// rules, the same activation delivered again leaves the member unchanged), set-based in the store in bounded
    /// batches. Safe while members are pressing buttons: every member's write is still a compare-and-set, and a member that
    /// changed in between is handled by <see cref="ActivateAsync"/> itself. A subscriber listed twice is activated twice, in
    /// order. The default implementation calls <see cref="ActivateAsync"/> per member.
    /// </summary>
    /// <param name="activations">The members and their subscription ends; read once, in order.</param>
    /// <param name="cancellationToken">Cancels the operation (batches already written stay written).</param>
    /// <returns>Counts per outcome, the links to revoke and the members to remove from the channel.</returns>
    async ValueTask<VipEntryBulkActivationResult> ActivateManyAsync(IEnumerable<VipEntryActivation> activations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activations);
        var result = new VipEntryBulkActivationResult.Builder();
        foreach (var activation in activations)
        {
            result.Add(await ActivateAsync(activation.SubscriberId, activation.SubscriptionEndsAt, cancellationToken).ConfigureAwait(false));
        }

        return result.Build();
    }

    /// <summary>
    /// The member's current step and its prompt, so they can resume any time (R9). At stage 3 this delivers
    /// access: it issues the grant the first time and shows the same link while it is valid (R5).
    /// </summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="culture">The member's culture; <see langword="null"/> for the one <see cref="GetCultureAsync"/> gives (remembered, else the default).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The step.</returns>
    ValueTask<VipEntryStep> GetStepAsync(long subscriberId, CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>Advances from the stage the member was shown (compare-and-set, R3).</summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="from">The stage the member was shown (1 or 2).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="VipEntryOutcome.Advanced"/>, or <see cref="VipEntryOutcome.StaleStage"/> with where the member is, or why not.</returns>
    ValueTask<VipEntryResult> AdvanceAsync(long subscriberId, VipEntryStage from, CancellationToken cancellationToken = default);

    /// <summary>Handles the data of a VipEntry button press (advance or new link) and returns the step to show next.</summary>
    /// <param name="subscriberId">The member who pressed.</param>
    /// <param name="callbackData">Untrusted callback data.</param>
    /// <param name="culture">The member's culture; <see langword="null"/> for the one <see cref="GetCultureAsync"/> gives.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The step after the press; its result's outcome is the press's outcome (<see cref="VipEntryOutcome.InvalidInput"/> for garbage).</returns>
    ValueTask<VipEntryStep> HandleCallbackAsync(long subscriberId, string? callbackData, CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>Stage 3: issues the access grant, or shows the live one's link (R5).</summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="VipEntryOutcome.AccessIssued"/> or <see cref="VipEntryOutcome.AccessShown"/> with <see cref="VipEntryResult.Access"/>, or why not.</returns>
    ValueTask<VipEntryResult> DeliverAccessAsync(long subscriberId, CancellationToken cancellationToken = default);

    /// <summary>Stage 3: replaces an expired (or no longer showable) grant with a new one, after the cooldown (R7).</summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="VipEntryOutcome.AccessReissued"/> with the new access and the old link to revoke, or why not.</returns>
    ValueTask<VipEntryResult> ReissueAccessAsync(long subscriberId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-entry (R16): a completed member with an active subscription who is not inside the channel (they left, a removal
    /// raced their renewal, an approval failed and the link expired) gets a new one-time grant bound to them, with the same
    /// token rules, lifetime, link issuer, recorded link and cooldown as stage 3. While it is valid, asking again shows the
    /// same link; an expired one is replaced after the cooldown. Redeeming it leaves them completed
    /// (<see cref="VipEntryOutcome.Readmitted"/>). When a channel port is registered it is asked first whether the member is
    /// inside; if so nothing is minted (<see cref="VipEntryOutcome.AlreadyInside"/>, R19).
    /// </summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="VipEntryOutcome.AccessIssued"/>, <see cref="VipEntryOutcome.AccessShown"/> or <see cref="VipEntryOutcome.AccessReissued"/>
    /// with <see cref="VipEntryResult.Access"/>; or <see cref="VipEntryOutcome.NotEnrolled"/>, <see cref="VipEntryOutcome.WrongStage"/>
    /// (still in the ritual), <see cref="VipEntryOutcome.SubscriptionExpired"/>, <see cref="VipEntryOutcome.ReissueTooSoon"/> (with
    /// <see cref="VipEntryResult.RetryAfter"/>).</returns>
    ValueTask<VipEntryResult> RequestReentryAsync(long subscriberId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The transport reports that <paramref name="personId"/> is inside the VIP chat (they joined, by whatever means) (R19).
    /// Recorded durably; when they are not entitled (ritual completed and subscription active), their removal is owed
    /// and the channel worker does it, on this replica or another, after a restart too.
    /// </summary>
    /// <param name="personId">Who joined; need not be a subscriber.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether they are entitled to be inside; <see langword="false"/>: their removal is owed.</returns>
    ValueTask<bool> ReportInsideAsync(long personId, CancellationToken cancellationToken = default);

    /// <summary>The transport reports that <paramref name="personId"/> left the VIP chat (or was removed by someone else) (R19).</summary>
    /// <param name="personId">Who left.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    ValueTask ReportOutsideAsync(long personId, CancellationToken cancellationToken = default);

    /// <summary>A read-only view of the subscriber: stage, subscription, grant, lapse and whether re-entry is possible. Changes nothing.</summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The status (<see cref="VipEntryStage.NotEnrolled"/> for an unknown subscriber).</returns>
    ValueTask<VipEntryStatus> GetStatusAsync(long subscriberId, CancellationToken cancellationToken = default);

    /// <summary>Completes the ritual with a token presented by <paramref name="claimantId"/> (R6).</summary>
    /// <param name="claimantId">Who presents the token.</param>
    /// <param name="token">Untrusted token text.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="VipEntryOutcome.Redeemed"/> exactly once, or why not.</returns>
    ValueTask<VipEntryResult> RedeemTokenAsync(long claimantId, string? token, CancellationToken cancellationToken = default);

    /// <summary>Completes the ritual when <paramref name="claimantId"/> uses the recorded transport <paramref name="link"/> (a Telegram join request) (R6).</summary>
    /// <param name="claimantId">Who uses the link.</param>
    /// <param name="link">The link named by the transport.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="VipEntryOutcome.Redeemed"/> exactly once; <see cref="VipEntryOutcome.Refused"/> for anyone but the owner (the grant stays valid).</returns>
    ValueTask<VipEntryResult> RedeemLinkAsync(long claimantId, string? link, CancellationToken cancellationToken = default);

    /// <summary>An explicit, logged administrative skip to completion (e.g. complimentary access) (R4).</summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="actor">Who decided (logged).</param>
    /// <param name="reason">Why (logged).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="VipEntryOutcome.Skipped"/>, or why not.</returns>
    ValueTask<VipEntryResult> SkipAsync(long subscriberId, string actor, string reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a subscription now (a refund, a ban, an admin's revoke): from this instant every step is blocked (R8),
    /// and the next <see cref="SweepAsync"/> claims the lapse, with the link to revoke and whether to remove the member (R17).
    /// </summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="VipEntryOutcome.SubscriptionEnded"/>, or <see cref="VipEntryOutcome.SubscriptionExpired"/> when it had already ended, or <see cref="VipEntryOutcome.NotEnrolled"/>.</returns>
    ValueTask<VipEntryResult> EndSubscriptionAsync(long subscriberId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims one bounded batch of lapsed subscriptions for this caller (R8, R17): each lapse's grant is revoked and its
    /// channel work (revoke <see cref="VipEntryLapse.LinkToRevoke"/>, remove the member when
    /// <see cref="VipEntryLapse.ShouldRemoveFromChannel"/>) is handed to exactly one caller at a time, under a lease of
    /// <see cref="Options.VipEntryOptions.LapseLease"/>. Do the work, then call <see cref="ConfirmLapseHandledAsync"/>; an
    /// unconfirmed lapse is handed out again once its lease runs out. Call again while <see cref="VipEntrySweepResult.HasMore"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The lapses this call claimed.</returns>
    ValueTask<VipEntrySweepResult> SweepAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The worker says it did the channel work of a lapse it claimed (R17).
    /// </summary>
    /// <param name="lapse">A lapse from <see cref="SweepAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="VipEntryOutcome.LapseConfirmed"/>: nothing more is owed. <see cref="VipEntryOutcome.EntitledAgain"/>: the member
    /// renewed after the claim; whatever was done, let them back in (offer <see cref="RequestReentryAsync"/> when they are
    /// completed, or their step). <see cref="VipEntryOutcome.LapseClaimLost"/>: the lease ran out and another worker holds or
    /// confirmed the lapse; this confirmation changed nothing.</returns>
    /// <exception cref="ArgumentException">When <paramref name="lapse"/> carries no claim (not from <see cref="SweepAsync"/>).</exception>
    ValueTask<VipEntryResult> ConfirmLapseHandledAsync(VipEntryLapse lapse, CancellationToken cancellationToken = default);

    /// <summary>
    /// Nudges (R18, opt-in through <see cref="Options.VipEntryOptions.NudgeIdleAfter"/> and
    /// <see cref="Options.VipEntryOptions.NudgeBeforeExpiry"/>): hands this caller members idle at stage 1, 2 or 3 and
    /// unused grants that expire soon, each member at most once per stage visit and once per grant, across replicas (one
    /// statement claims each). Send each one reminder (<see cref="Messages.VipEntryNotice.IdleReminder"/> with the step's
    /// prompt, or <see cref="Messages.VipEntryNotice.LinkExpiringReminder"/>). Call again while
    /// <see cref="VipEntryNudgeBatch.HasMore"/>. With both settings off it returns an empty batch.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The reminders this call claimed.</returns>
    ValueTask<VipEntryNudgeBatch> ClaimNudgesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The transport saw the person's language (Telegram: <c>language_code</c>): remembered durably, per person, across
    /// replicas and restarts, so everything sent to them without the transport's user at hand (a payment command's step,
    /// the channel worker's notices, reminders and re-entry links) is in it (R14). Writes only when it changed; the
    /// invariant culture is ignored.
    /// </summary>
    /// <param name="personId">The person (need not be a subscriber yet).</param>
    /// <param name="culture">Their culture.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    ValueTask RememberCultureAsync(long personId, CultureInfo culture, CancellationToken cancellationToken = default);

    /// <summary>The culture of what is sent to the person: the one remembered by <see cref="RememberCultureAsync"/>, else <see cref="Options.VipEntryOptions.DefaultCulture"/>.</summary>
    /// <param name="personId">The person.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The culture.</returns>
    ValueTask<CultureInfo> GetCultureAsync(long personId, CancellationToken cancellationToken = default);

    /// <summary>How many active subscribers are at each stage (R15).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The funnel.</returns>
    ValueTask<VipEntryFunnel> GetFunnelAsync(CancellationToken cancellationToken = default);
}
