namespace VipEntry.SampleBot.Data;

/// <summary>
/// A lapse reported by the sweep whose transport work (revoke the link, remove the member, tell them)
/// is not done yet. Stored before the work starts, so a failed Bot API call is retried by the next sweep.
/// </summary>
public sealed class PendingRemoval
{
    /// <summary>The row id.</summary>
    public int Id { get; set; }

    /// <summary>The member.</summary>
    public long SubscriberId { get; set; }

    /// <summary>The transport link to revoke, if any.</summary>
    public string? LinkToRevoke { get; set; }

    /// <summary>Whether the member is inside the channel and must be removed.</summary>
    public bool RemoveFromChannel { get; set; }

    /// <summary>Failed attempts so far.</summary>
    public int Attempts { get; set; }

    /// <summary>When the lapse was reported (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
