namespace VipEntry.Core.Storage;

/// <summary>
/// What VipEntry knows about one person and one chat (R19): whether they may be inside, whether a ban the library placed
/// may still stand, which links of grants that no longer stand are still to be revoked, and the claim on the owed work.
/// A person need not be a subscriber (an intruder the transport reported).
/// </summary>
/// <param name="Chat">The chat key (<see cref="Options.VipEntryOptions.ChannelKey"/>); one subscription may later cover several chats.</param>
/// <param name="PersonId">The person (a subscriber id, or anyone the transport reported).</param>
/// <param name="MayBeInside">Admitted by a redemption, or reported inside by the transport, and not since removed or reported gone.</param>
/// <param name="BanMayStand">The library asked the transport to place a ban (a removal) that is not known to be lifted.</param>
/// <param name="LinksToRevoke">Transport links of grants that no longer stand, not yet confirmed revoked.</param>
/// <param name="DueAt">When the record must be looked at next: owed work, or an entitlement that ends then; <see langword="null"/> for nothing.</param>
/// <param name="Version">Bumped by every change of a fact or of what is due, so a worker's confirmation only lands on the facts it acted on.</param>
public sealed record VipEntryChannelRecord(
    string Chat,
    long PersonId,
    bool MayBeInside,
    bool BanMayStand,
    IReadOnlyList<string> LinksToRevoke,
    DateTimeOffset? DueAt,
    long Version)
{
    /// <summary>The longest language tag a store keeps (<see cref="Language"/>); a longer one is not remembered.</summary>
    public const int MaxLanguageLength = 16;

    /// <summary>
    /// The person's language (an IETF tag such as <c>es</c> or <c>pt-BR</c>) as the transport last saw it, so that what is
    /// sent without the transport's user at hand (the worker's notices, reminders, re-entry) is in their language;
    /// <see langword="null"/> when never seen. Not a channel fact: remembering it neither bumps <see cref="Version"/> nor
    /// makes the record due.
    /// </summary>
    public string? Language { get; init; }

    /// <summary>The current claim on this record's work, while a worker holds it.</summary>
    public string? ClaimId { get; init; }

    /// <summary>When the current claim runs out.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }
}
