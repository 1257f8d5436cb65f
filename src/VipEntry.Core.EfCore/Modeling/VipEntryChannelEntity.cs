namespace VipEntry.Core.EfCore;

/// <summary>
/// One row of VipEntry's own channel table (R19): the facts of one person in one chat. Mapped by the same call that maps
/// the ritual (<c>AddVipEntrySubscribers</c> or <c>HasVipEntry</c>), never by the host; read and written only by
/// <see cref="EfCoreVipEntryChannelStore{TContext}"/>, with single statements. A person need not be a subscriber.
/// </summary>
internal sealed class VipEntryChannelEntity
{
    public string Chat { get; set; } = "";

    public long PersonId { get; set; }

    public bool MayBeInside { get; set; }

    public bool BanMayStand { get; set; }

    /// <summary>The links joined with <c>'\n'</c>; <see langword="null"/> for none.</summary>
    public string? LinksToRevoke { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    public string? Claim { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public long Version { get; set; }

    /// <summary>The member's language (an IETF tag), as the transport last saw it; <see langword="null"/> when never seen.</summary>
    public string? Language { get; set; }
}
