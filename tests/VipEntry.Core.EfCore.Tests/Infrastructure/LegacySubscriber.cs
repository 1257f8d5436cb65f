namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>The original bot's own subscriber entity: it knows nothing of the ritual (its columns are shadow properties).</summary>
public sealed class LegacySubscriber
{
    public long UserId { get; set; }

    public string Username { get; set; } = "";

    public DateTimeOffset ExpiresAt { get; set; }
}
