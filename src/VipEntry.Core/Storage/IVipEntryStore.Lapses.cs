// Lapses (R17): the due lapses listed and claimed under a lease, one worker at a time, then confirmed.
using VipEntry.Core.Stages;

namespace VipEntry.Core.Storage;

public partial interface IVipEntryStore
{
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
}
