using VipEntry.Core.Stages;

namespace VipEntry.Core.Storage;

/// <summary>
/// Where ritual state lives. Every <c>Try…</c> method is one atomic compare-and-set: it changes the
/// subscriber only when every stated condition holds at the moment of the write, and returns
/// <see langword="true"/> only when it changed exactly one subscriber. Implementations must be correct
/// across threads, processes and bot replicas sharing one database.
/// </summary>
/// <remarks>
/// Conditions that involve time (<c>now</c>) are evaluated by the store, inside the same statement,
/// so an ended subscription blocks an operation at the moment it runs (R8). The engine hands every store instants
/// already truncated to whole microseconds (PostgreSQL's precision), so every store compares them alike.
/// </remarks>
public interface IVipEntryStore
{
    /// <summary>Reads one subscriber.</summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or <see langword="null"/> when the subscriber is not enrolled.</returns>
    ValueTask<VipEntryRecord?> FindAsync(long subscriberId, CancellationToken cancellationToken = default);

    /// <summary>Reads the subscriber whose grant has this token hash.</summary>
    /// <param name="tokenHash">A 64-character SHA-256 hex hash.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or <see langword="null"/> when no grant has this hash.</returns>
    ValueTask<VipEntryRecord?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>Reads the subscriber whose grant has this recorded transport link.</summary>
    /// <param name="link">The transport link.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or <see langword="null"/> when no grant has this link.</returns>
    ValueTask<VipEntryRecord?> FindByLinkAsync(string link, CancellationToken cancellationToken = default);

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

    /// <summary>
    /// Lists up to <paramref name="maxCount"/> subscribers whose lapse can be claimed at <paramref name="now"/> (R8, R17):
    /// the subscription ended at or before <paramref name="now"/>, no worker confirmed the lapse, and it is either
    /// unclaimed or its claim's lease ran out. Oldest end first.
    /// </summary>
    /// <param name="now">The current instant.</param>
    /// <param name="maxCount">The batch size.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The batch.</returns>
    ValueTask<IReadOnlyList<VipEntryRecord>> ListClaimableLapsesAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims a lapse for one worker under a lease (R17): requires the subscription to have ended at or before
    /// <paramref name="now"/>, no confirmation, the stage, grant hash, recorded link and claim to be as in
    /// <paramref name="expected"/>, and the expected claim (if any) to have run out at <paramref name="now"/>. Sets the
    /// claim and lease; on the first claim, moves the grant's link to the lapse's link to revoke and clears the grant.
    /// </summary>
    /// <param name="expected">The record as listed.</param>
    /// <param name="claimId">The new claim.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="leaseUntil">When the new claim runs out.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether exactly one subscriber changed.</returns>
    ValueTask<bool> TryClaimLapseAsync(VipEntryRecord expected, string claimId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="maxCount"/> claimable lapses (see <see cref="ListClaimableLapsesAsync"/>) in one step,
    /// oldest end first (R8, R17): each row is a compare-and-set on its claimable state, so a lapse two workers claim at the
    /// same time is returned to exactly one of them. An unclaimed lapse is claimed under <paramref name="claimId"/> and its
    /// grant's link moved to the lapse's link (the grant cleared); a lapse whose lease ran out is claimed again under
    /// <paramref name="reclaimId"/> and keeps its lapse link. Both get the lease <paramref name="leaseUntil"/>.
    /// </summary>
    /// <remarks>
    /// The default implementation lists the candidates and claims each with <see cref="TryClaimLapseAsync"/>; stores
    /// that can claim a batch in one statement override it.
    /// </remarks>
    /// <param name="claimId">The claim of first claims.</param>
    /// <param name="reclaimId">The claim of claims whose earlier lease ran out; differs from <paramref name="claimId"/>.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="leaseUntil">When the new claims run out.</param>
    /// <param name="maxCount">The batch size.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns>
    /// The records this call claimed, as they are after the claim: <see cref="VipEntryRecord.LapseClaimId"/> is
    /// <paramref name="claimId"/> or <paramref name="reclaimId"/>, <see cref="VipEntryRecord.LapseLink"/> the link to revoke.
    /// </returns>
    async ValueTask<IReadOnlyList<VipEntryRecord>> ClaimLapsesAsync(string claimId, string reclaimId, DateTimeOffset now, DateTimeOffset leaseUntil, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        ArgumentException.ThrowIfNullOrEmpty(reclaimId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (string.Equals(claimId, reclaimId, StringComparison.Ordinal))
        {
            throw new ArgumentException("The reclaim id must differ from the claim id.", nameof(reclaimId));
        }

        var candidates = await ListClaimableLapsesAsync(now, maxCount, cancellationToken).ConfigureAwait(false);
        var claimed = new List<VipEntryRecord>(candidates.Count);
        foreach (var candidate in candidates)
        {
            if (await TryClaimLapseAsync(candidate, candidate.LapseClaimId is null ? claimId : reclaimId, now, leaseUntil, cancellationToken).ConfigureAwait(false))
            {
                claimed.Add(AfterLapseClaim(candidate, claimId, reclaimId, leaseUntil));
            }
        }

        return claimed;
    }

    // The record as a successful TryClaimLapseAsync leaves it.
    private static VipEntryRecord AfterLapseClaim(VipEntryRecord read, string claimId, string reclaimId, DateTimeOffset leaseUntil)
    {
        ArgumentNullException.ThrowIfNull(read);
        var first = read.LapseClaimId is null;
        return read with
        {
            GrantTokenHash = null,
            GrantIssuedAt = null,
            GrantLink = null,
            GrantNudgedAt = null,
            LapseClaimId = first ? claimId : reclaimId,
            LapseLeaseUntil = leaseUntil,
            LapseLink = first ? read.GrantLink : read.LapseLink,
        };
    }

    /// <summary>
    /// Confirms the channel work of a claimed lapse (R17): requires the current claim to be <paramref name="claimId"/>
    /// and no confirmation yet. Records <paramref name="now"/> as the confirmation and clears claim, lease and lapse link.
    /// A claim cleared by a renewal, or taken over by another worker, matches nothing.
    /// </summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="claimId">The claim being confirmed.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether exactly one subscriber changed.</returns>
    ValueTask<bool> TryConfirmLapseAsync(long subscriberId, string claimId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists up to <paramref name="maxCount"/> subscribers who may be idle (R18): at stage 1, 2 or 3, the subscription active
    /// at <paramref name="now"/>, no nudge for the current stage visit yet, and either entered the stage at or before
    /// <paramref name="enteredAtOrBefore"/> or with no known entry time. Unknown entry times first, then oldest.
    /// </summary>
    /// <param name="now">The current instant.</param>
    /// <param name="enteredAtOrBefore">The latest stage entry that counts as idle.</param>
    /// <param name="maxCount">The batch size.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The batch.</returns>
    ValueTask<IReadOnlyList<VipEntryRecord>> ListIdleAsync(DateTimeOffset now, DateTimeOffset enteredAtOrBefore, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the idle nudge of one stage visit (R18), as one statement on the record as listed: requires the same stage
    /// and stage entry time, no nudge yet, and an active subscription at <paramref name="now"/>. With a known entry time it
    /// records the nudge (<see cref="VipEntryRecord.StageNudgedAt"/> = <paramref name="now"/>) and returns
    /// <see langword="true"/>; with none (a row written outside VipEntry) it starts the clock
    /// (<see cref="VipEntryRecord.StageEnteredAt"/> = <paramref name="now"/>) and returns <see langword="false"/>.
    /// </summary>
    /// <param name="expected">The record as listed.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether this caller holds the nudge.</returns>
    ValueTask<bool> TryClaimIdleNudgeAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists up to <paramref name="maxCount"/> subscribers whose grant expires soon and was not used (R18): a grant issued
    /// after <paramref name="issuedAfter"/> (still live) and at or before <paramref name="issuedAtOrBefore"/> (inside the
    /// reminder window), not nudged yet, the subscription active at <paramref name="now"/>. Soonest expiry first.
    /// </summary>
    /// <param name="now">The current instant.</param>
    /// <param name="issuedAfter">Grants issued at or before this have expired.</param>
    /// <param name="issuedAtOrBefore">Grants issued after this are not yet inside the reminder window.</param>
    /// <param name="maxCount">The batch size.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The batch.</returns>
    ValueTask<IReadOnlyList<VipEntryRecord>> ListExpiringGrantsAsync(DateTimeOffset now, DateTimeOffset issuedAfter, DateTimeOffset issuedAtOrBefore, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the reminder of one grant (R18), as one statement: requires the same grant hash, no reminder for it yet, and
    /// an active subscription at <paramref name="now"/>. Records <see cref="VipEntryRecord.GrantNudgedAt"/>.
    /// </summary>
    /// <param name="expected">The record as listed.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether this caller holds the reminder.</returns>
    ValueTask<bool> TryClaimGrantNudgeAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Counts subscribers whose subscription is active at <paramref name="now"/>, per stage (R15).</summary>
    /// <param name="now">The current instant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A count per stage; stages with nobody may be absent.</returns>
    ValueTask<IReadOnlyDictionary<VipEntryStage, int>> CountByStageAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Reads many subscribers at once (bulk activation). The default reads them one by one.</summary>
    /// <param name="subscriberIds">The subscribers (distinct; a bounded batch).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records of the enrolled ones, in no particular order.</returns>
    async ValueTask<IReadOnlyList<VipEntryRecord>> FindManyAsync(IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriberIds);
        var found = new List<VipEntryRecord>(subscriberIds.Count);
        foreach (var id in subscriberIds)
        {
            if (await FindAsync(id, cancellationToken).ConfigureAwait(false) is { } record)
            {
                found.Add(record);
            }
        }

        return found;
    }

    /// <summary>
    /// <see cref="TryCreateAsync"/> for many subscribers (bulk activation): each is created exactly as a single create
    /// would, independently of the others. The default creates them one by one; a database store does it set-based.
    /// </summary>
    /// <param name="members">The subscribers and their subscription ends (distinct ids; a bounded batch).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The ids created (the others existed already, or the store cannot create rows).</returns>
    async ValueTask<IReadOnlyCollection<long>> TryCreateManyAsync(IReadOnlyList<Engine.VipEntryActivation> members, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(members);
        var created = new List<long>(members.Count);
        foreach (var member in members)
        {
            if (await TryCreateAsync(member.SubscriberId, member.SubscriptionEndsAt, cancellationToken).ConfigureAwait(false))
            {
                created.Add(member.SubscriberId);
            }
        }

        return created;
    }

    /// <summary>
    /// <see cref="TryRenewAsync"/> for many subscribers (bulk activation): each is one compare-and-set with exactly the
    /// conditions of a single renewal, independent of the others. The default renews them one by one; a database store
    /// does it set-based.
    /// </summary>
    /// <param name="renewals">The renewals (distinct subscribers; a bounded batch).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The ids renewed (the others changed since they were read).</returns>
    async ValueTask<IReadOnlyCollection<long>> TryRenewManyAsync(IReadOnlyList<VipEntryRenewal> renewals, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(renewals);
        var renewed = new List<long>(renewals.Count);
        foreach (var renewal in renewals)
        {
            if (await TryRenewAsync(renewal.Expected, renewal.SubscriptionEndsAt, renewal.Restart, cancellationToken).ConfigureAwait(false))
            {
                renewed.Add(renewal.Expected.SubscriberId);
            }
        }

        return renewed;
    }

    /// <summary><see cref="TryCreateManyAsync"/> starting each stage-1 visit's clock at <paramref name="now"/> (R18).</summary>
    /// <param name="members">The subscribers and their subscription ends (distinct ids; a bounded batch).</param>
    /// <param name="now">The current instant (the stage entry time).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The ids created.</returns>
    async ValueTask<IReadOnlyCollection<long>> TryCreateManyAtAsync(IReadOnlyList<Engine.VipEntryActivation> members, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(members);
        var created = new List<long>(members.Count);
        foreach (var member in members)
        {
            if (await TryCreateAtAsync(member.SubscriberId, member.SubscriptionEndsAt, now, cancellationToken).ConfigureAwait(false))
            {
                created.Add(member.SubscriberId);
            }
        }

        return created;
    }

    /// <summary><see cref="TryRenewManyAsync"/> whose restarts start each stage-1 visit's clock at <paramref name="now"/> (R18).</summary>
    /// <param name="renewals">The renewals (distinct subscribers; a bounded batch).</param>
    /// <param name="now">The current instant (the restarted visits' entry time).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The ids renewed.</returns>
    async ValueTask<IReadOnlyCollection<long>> TryRenewManyAtAsync(IReadOnlyList<VipEntryRenewal> renewals, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(renewals);
        var renewed = new List<long>(renewals.Count);
        foreach (var renewal in renewals)
        {
            if (await TryRenewAtAsync(renewal.Expected, renewal.SubscriptionEndsAt, renewal.Restart, now, cancellationToken).ConfigureAwait(false))
            {
                renewed.Add(renewal.Expected.SubscriberId);
            }
        }

        return renewed;
    }
}
