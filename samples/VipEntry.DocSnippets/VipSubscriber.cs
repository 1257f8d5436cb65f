namespace VipEntry.DocSnippets;

/// <summary>A host's own subscriber entity, as the fragments name it.</summary>
public sealed class VipSubscriber
{
    /// <summary>The member's id.</summary>
    public long UserId { get; set; }

    /// <summary>When the subscription ends.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
