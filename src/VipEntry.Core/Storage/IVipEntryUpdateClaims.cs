namespace VipEntry.Core.Storage;

/// <summary>
/// Claims on delivered updates (a webhook's <c>update_id</c>s), so that an update delivered twice — a retry, or to two
/// replicas at once — is processed once: a holder claims it under a lease, processes it, then marks it done. A holder
/// that dies leaves a claim whose lease runs out, and the next delivery is taken over. Every method is one atomic step,
/// correct across threads, processes and replicas sharing one database.
/// </summary>
/// <remarks>Instants are handed in already truncated to whole microseconds (see <see cref="IVipEntryStore"/>).</remarks>
public interface IVipEntryUpdateClaims
{
    /// <summary>The longest source key (e.g. <c>telegram</c>).</summary>
    public const int MaxSourceLength = 64;

    /// <summary>The longest owner token.</summary>
    public const int MaxOwnerLength = 64;

    /// <summary>
    /// Claims <paramref name="updateId"/> of <paramref name="source"/> for <paramref name="owner"/> until
    /// <paramref name="leaseUntil"/>: takes it when there is no claim, or when the claim is not done and its lease ran out
    /// (before or at <paramref name="now"/>).
    /// </summary>
    /// <param name="source">Where the update comes from (at most <see cref="MaxSourceLength"/> characters).</param>
    /// <param name="updateId">The update's id in that source.</param>
    /// <param name="owner">The claim's token (at most <see cref="MaxOwnerLength"/> characters); only its holder marks it done or releases it.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="leaseUntil">Until when the claim holds while not done.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>What was found.</returns>
    ValueTask<VipEntryUpdateClaim> TryClaimAsync(string source, long updateId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Marks a claimed update done, if <paramref name="owner"/> still holds it: every later delivery is <see cref="VipEntryUpdateClaim.AlreadyDone"/>.</summary>
    /// <param name="source">The source.</param>
    /// <param name="updateId">The update.</param>
    /// <param name="owner">The claim's token.</param>
    /// <param name="now">The current instant (kept as the done time, for <see cref="PurgeAsync"/>).</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>Whether the claim was still the owner's and is now done.</returns>
    ValueTask<bool> MarkDoneAsync(string source, long updateId, string owner, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Gives a claim back (processing failed), if <paramref name="owner"/> still holds it and it is not done: the next delivery is claimed at once.</summary>
    /// <param name="source">The source.</param>
    /// <param name="updateId">The update.</param>
    /// <param name="owner">The claim's token.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>A task.</returns>
    ValueTask ReleaseAsync(string source, long updateId, string owner, CancellationToken cancellationToken = default);

    /// <summary>Deletes at most <paramref name="maxCount"/> done claims whose done time is before <paramref name="doneBefore"/>.</summary>
    /// <param name="doneBefore">The retention's edge.</param>
    /// <param name="maxCount">The most claims deleted (a bounded batch, at least 1).</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>How many were deleted.</returns>
    ValueTask<int> PurgeAsync(DateTimeOffset doneBefore, int maxCount, CancellationToken cancellationToken = default);
}
