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
    /// The member's current step and its prompt, so they can resume any time (R9). At stage 3 this delivers
    /// access: it issues the grant the first time and shows the same link while it is valid (R5).
    /// </summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="culture">The member's culture; <see langword="null"/> for the default.</param>
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
    /// <param name="culture">The member's culture.</param>
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
    /// and the next <see cref="SweepAsync"/> reports the lapse, with the link to revoke and whether to remove the member.
    /// </summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="VipEntryOutcome.SubscriptionEnded"/>, or <see cref="VipEntryOutcome.SubscriptionExpired"/> when it had already ended, or <see cref="VipEntryOutcome.NotEnrolled"/>.</returns>
    ValueTask<VipEntryResult> EndSubscriptionAsync(long subscriberId, CancellationToken cancellationToken = default);

    /// <summary>Handles one bounded batch of lapsed subscriptions (R8). Call again while <see cref="VipEntrySweepResult.HasMore"/>.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The lapses recorded by this call; each lapse is reported once.</returns>
    ValueTask<VipEntrySweepResult> SweepAsync(CancellationToken cancellationToken = default);

    /// <summary>How many active subscribers are at each stage (R15).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The funnel.</returns>
    ValueTask<VipEntryFunnel> GetFunnelAsync(CancellationToken cancellationToken = default);
}
