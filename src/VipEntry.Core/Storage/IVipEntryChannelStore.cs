namespace VipEntry.Core.Storage;

/// <summary>
/// Where the channel facts of R19 live: per chat and person, whether they may be inside, whether a ban the library
/// placed may still stand, and which links are still to be revoked; and the owed work that follows from them, handed to
/// one worker at a time under a lease (as R17's lapses). Every method is one atomic step, correct across threads,
/// processes and replicas sharing one database. Records exist for people who are not subscribers (intruders).
/// </summary>
/// <remarks>Instants are handed in already truncated to whole microseconds (see <see cref="IVipEntryStore"/>).</remarks>
public interface IVipEntryChannelStore
{
    /// <summary>Reads one record.</summary>
    /// <param name="chat">The chat key.</param>
    /// <param name="personId">The person.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or <see langword="null"/> when VipEntry knows nothing of this person in this chat.</returns>
    ValueTask<VipEntryChannelRecord?> FindAsync(string chat, long personId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that the person may be inside (admitted by a redemption, or reported inside by the transport): sets
    /// <see cref="VipEntryChannelRecord.MayBeInside"/>, makes the record due at <paramref name="now"/> and bumps its
    /// version. Creates the record when there is none.
    /// </summary>
    /// <param name="chat">The chat key.</param>
    /// <param name="personId">The person.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    ValueTask RecordInsideAsync(string chat, long personId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that the transport reports the person outside (they left, or were removed by someone else): clears
    /// <see cref="VipEntryChannelRecord.MayBeInside"/> and bumps the version; a ban fact and owed links stay. Nothing
    /// happens when there is no record.
    /// </summary>
    /// <param name="chat">The chat key.</param>
    /// <param name="personId">The person.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    ValueTask RecordOutsideAsync(string chat, long personId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Owes the revocation of <paramref name="links"/> (links of grants that no longer stand): adds them to the record's
    /// list (once each), makes it due at <paramref name="now"/> and bumps its version. Creates the record when there is none.
    /// </summary>
    /// <param name="chat">The chat key.</param>
    /// <param name="personId">The person the links were issued to.</param>
    /// <param name="links">The links (no line breaks).</param>
    /// <param name="now">The current instant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    ValueTask OweRevocationsAsync(string chat, long personId, IReadOnlyList<string> links, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Says that the entitlement of these people may have changed (a renewal, an ended subscription, a skip): each record
    /// that holds a fact (may be inside, a ban, links) becomes due at <paramref name="now"/> and its version is bumped, so
    /// a worker's confirmation based on the old entitlement does not land. People without a record are left alone.
    /// </summary>
    /// <param name="chat">The chat key.</param>
    /// <param name="personIds">The people (a bounded batch).</param>
    /// <param name="now">The current instant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    ValueTask MarkDueAsync(string chat, IReadOnlyCollection<long> personIds, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists up to <paramref name="maxCount"/> records of <paramref name="chat"/> that are due at <paramref name="now"/>
    /// and not held by a worker (never claimed, or the claim's lease ran out). Earliest due first.
    /// </summary>
    /// <param name="chat">The chat key.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="maxCount">The batch size.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The batch.</returns>
    ValueTask<IReadOnlyList<VipEntryChannelRecord>> ListDueAsync(string chat, DateTimeOffset now, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims a record's work for one worker under a lease: requires the version and claim of <paramref name="expected"/>,
    /// the record due at <paramref name="now"/>, and the expected claim (if any) run out at <paramref name="now"/>.
    /// </summary>
    /// <param name="expected">The record as listed or read.</param>
    /// <param name="claimId">The new claim.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="leaseUntil">When the new claim runs out.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether this caller holds the record now.</returns>
    ValueTask<bool> TryClaimAsync(VipEntryChannelRecord expected, string claimId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records, before the transport is asked to remove someone in a way that places a ban, that a ban may stand
    /// (write-ahead): a worker that fails halfway leaves the fact, and the ban is lifted once the person pays.
    /// Requires the claim; the version is kept.
    /// </summary>
    /// <param name="chat">The chat key.</param>
    /// <param name="personId">The person.</param>
    /// <param name="claimId">The worker's claim.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the fact is recorded (the claim still held).</returns>
    ValueTask<bool> TryRecordBanAsync(string chat, long personId, string claimId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Confirms a claimed record's work: writes the facts and the next due time of <paramref name="settlement"/>, clears
    /// the claim and bumps the version — only while the claim is held and the version is the one the worker acted on.
    /// </summary>
    /// <param name="settlement">The facts as they now stand.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether it landed; <see langword="false"/> when the lease ran out or a fact changed meanwhile.</returns>
    ValueTask<bool> TrySettleAsync(VipEntryChannelSettlement settlement, CancellationToken cancellationToken = default);

    /// <summary>Gives a claim up at once (the facts changed under the worker), so the record can be claimed again now.</summary>
    /// <param name="chat">The chat key.</param>
    /// <param name="personId">The person.</param>
    /// <param name="claimId">The worker's claim.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    ValueTask ReleaseAsync(string chat, long personId, string claimId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Remembers the person's language (<see cref="VipEntryChannelRecord.Language"/>), durably, writing only when it differs
    /// from the one recorded. Creates a record without facts (not due) when there is none. Neither bumps the version nor
    /// makes the record due, so it never disturbs a worker's claim or settlement.
    /// </summary>
    /// <param name="chat">The chat key.</param>
    /// <param name="personId">The person.</param>
    /// <param name="language">The IETF tag, at most <see cref="VipEntryChannelRecord.MaxLanguageLength"/> characters.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the recorded language changed.</returns>
    ValueTask<bool> RememberLanguageAsync(string chat, long personId, string language, CancellationToken cancellationToken = default);
}
