// The ritual's steps as compare-and-sets: activation and renewal (R1, R2), advancing (R3), grants (R4, R5, R7, R12),
// redemption (R6, R16) and the logged administrative skip (R4).
using VipEntry.Core.Stages;

namespace VipEntry.Core.Storage;

public partial interface IVipEntryStore
{
    /// <summary>
    /// Enrolls a subscriber never seen before at <see cref="VipEntryStage.ActivationConfirmation"/> (R1).
    /// </summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="subscriptionEndsAt">When the subscription ends.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when created; <see langword="false"/> when the subscriber already exists
    /// (or, for a store over a host-owned table, when the host has no row for it).</returns>
    ValueTask<bool> TryCreateAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="TryCreateAsync"/> in the same statement starting the stage-1
    /// visit's idle clock (R18: <see cref="VipEntryRecord.StageEnteredAt"/> = <paramref name="now"/>), so a reminder is
    /// counted from the activation. The default creates without it (the first nudge pass then starts the clock).
    /// </summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="subscriptionEndsAt">When the subscription ends.</param>
    /// <param name="now">The current instant (the stage entry time).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>As <see cref="TryCreateAsync"/>.</returns>
    ValueTask<bool> TryCreateAtAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        TryCreateAsync(subscriberId, subscriptionEndsAt, cancellationToken);

    /// <summary>
    /// Renews a subscription (R2): sets the new end, clears the lapse record and any claim on it (R17: owed channel work
    /// that has not been confirmed is cancelled), and when <paramref name="restart"/> is set puts the subscriber back at
    /// stage 1 and clears the grant.
    /// </summary>
    /// <param name="expected">The record as read; the write happens only if stage, grant hash, recorded link, lapse record
    /// and lapse claim are unchanged, so a renewal decided before a sweep claimed the member's lapse does not keep them
    /// completed, and a link recorded after the read is never dropped unreported. The end is not compared: concurrent
    /// renewals of the same member agree on the rest, the last end written wins, and an end another program wrote in its
    /// own text form (SQLite) never blocks a renewal.</param>
    /// <param name="subscriptionEndsAt">The new end.</param>
    /// <param name="restart">Whether the ritual restarts at stage 1.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether exactly one subscriber changed.</returns>
    ValueTask<bool> TryRenewAsync(VipEntryRecord expected, DateTimeOffset subscriptionEndsAt, bool restart, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="TryRenewAsync"/> whose restart, in the same
    /// statement, starts the stage-1 visit's idle clock at <paramref name="now"/> (R18). The default renews without it.
    /// </summary>
    /// <param name="expected">The record as read (see the other overload).</param>
    /// <param name="subscriptionEndsAt">The new end.</param>
    /// <param name="restart">Whether the ritual restarts at stage 1.</param>
    /// <param name="now">The current instant (the restarted visit's entry time).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether exactly one subscriber changed.</returns>
    ValueTask<bool> TryRenewAtAsync(VipEntryRecord expected, DateTimeOffset subscriptionEndsAt, bool restart, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        TryRenewAsync(expected, subscriptionEndsAt, restart, cancellationToken);

    /// <summary>Moves a subscriber from <paramref name="from"/> to <paramref name="target"/> while the subscription is active at <paramref name="now"/> (R3).</summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="from">The stage the subscriber must be at.</param>
    /// <param name="target">The new stage.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether exactly one subscriber changed.</returns>
    ValueTask<bool> TryAdvanceAsync(long subscriberId, VipEntryStage from, VipEntryStage target, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Issues or replaces the access grant of a subscriber (R5, R7, R16): requires the stage to be <paramref name="stage"/>
    /// (<see cref="VipEntryStage.AccessDelivery"/> for the ritual's grant, <see cref="VipEntryStage.Completed"/> for a
    /// re-entry grant), the subscription active at <paramref name="now"/>, and the current grant hash
    /// to equal <paramref name="expectedTokenHash"/> (<see langword="null"/>: no grant yet). When replacing, the current
    /// grant must have been issued at or before <paramref name="replaceIssuedAtOrBefore"/> (the reissue cooldown) or have
    /// no issue time at all (a row written by hand or by another program: treated as expired). Sets the hash, the issue
    /// time <paramref name="now"/>, and clears the link.
    /// </summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="stage">The stage the subscriber must be at.</param>
    /// <param name="expectedTokenHash">The grant hash that must be current, or <see langword="null"/> for none.</param>
    /// <param name="newTokenHash">The new grant's hash.</param>
    /// <param name="now">The issue time.</param>
    /// <param name="replaceIssuedAtOrBefore">When replacing: latest permitted issue time of the current grant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether exactly one subscriber changed.</returns>
    ValueTask<bool> TryIssueGrantAsync(long subscriberId, VipEntryStage stage, string? expectedTokenHash, string newTokenHash, DateTimeOffset now, DateTimeOffset replaceIssuedAtOrBefore, CancellationToken cancellationToken = default);

    /// <summary>Records the transport link of a grant that has none yet.</summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="tokenHash">The grant the link belongs to.</param>
    /// <param name="link">The transport link.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether exactly one subscriber changed.</returns>
    ValueTask<bool> TryRecordLinkAsync(long subscriberId, string tokenHash, string link, CancellationToken cancellationToken = default);

    /// <summary>Withdraws a grant whose link could not be made, so that it can be issued again.</summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="tokenHash">The grant to withdraw; it must have no recorded link.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether exactly one subscriber changed.</returns>
    ValueTask<bool> TryWithdrawGrantAsync(long subscriberId, string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Redeems a grant (R6, R16): requires the stage <paramref name="from"/> (stage 3, or completed for a re-entry grant),
    /// this grant hash, a grant issued after <paramref name="issuedAfter"/> (not expired) and an active subscription at
    /// <paramref name="now"/>. Sets the stage to <see cref="VipEntryStage.Completed"/> and clears hash, issue time and link.
    /// </summary>
    /// <param name="subscriberId">The subscriber (the claimant).</param>
    /// <param name="from">The stage the grant belongs to.</param>
    /// <param name="tokenHash">The grant being redeemed.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="issuedAfter">Grants issued at or before this instant have expired.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether exactly one subscriber changed.</returns>
    ValueTask<bool> TryRedeemAsync(long subscriberId, VipEntryStage from, string tokenHash, DateTimeOffset now, DateTimeOffset issuedAfter, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes the ritual by an administrative skip (R4); clears any grant. Requires the stage, grant hash and
    /// recorded link to be as in <paramref name="expected"/> (so a grant issued meanwhile is never dropped without its
    /// link being reported) and the subscription to be active at <paramref name="now"/>.
    /// </summary>
    /// <param name="expected">The record as read.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether exactly one subscriber changed.</returns>
    ValueTask<bool> TrySkipAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default);
}
