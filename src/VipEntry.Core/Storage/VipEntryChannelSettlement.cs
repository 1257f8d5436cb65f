namespace VipEntry.Core.Storage;

/// <summary>
/// What a worker confirms after doing a channel record's work (R19): the facts as they now stand and when to look again.
/// Applied only while the worker still holds <paramref name="ClaimId"/> and the record is still at <paramref name="Version"/>.
/// </summary>
/// <param name="Chat">The chat key.</param>
/// <param name="PersonId">The person.</param>
/// <param name="ClaimId">The worker's claim.</param>
/// <param name="Version">The version the worker acted on.</param>
/// <param name="MayBeInside">Whether the person may still be inside.</param>
/// <param name="BanMayStand">Whether a ban may still stand.</param>
/// <param name="LinksToRevoke">The links still to revoke (the record's list without those confirmed revoked).</param>
/// <param name="NextDueAt">When to look again (e.g. the end of the entitlement of a member inside), or <see langword="null"/>.</param>
public sealed record VipEntryChannelSettlement(
    string Chat,
    long PersonId,
    string ClaimId,
    long Version,
    bool MayBeInside,
    bool BanMayStand,
    IReadOnlyList<string> LinksToRevoke,
    DateTimeOffset? NextDueAt);
