namespace VipEntry.SampleBot.Data;

/// <summary>A single-use activation code made by an admin (<c>/newcode</c>). Only its SHA-256 hash is stored.</summary>
public sealed class ActivationCode
{
    /// <summary>The row id.</summary>
    public int Id { get; set; }

    /// <summary>SHA-256 of the code, 64 lowercase hex characters, unique.</summary>
    public required string CodeHash { get; set; }

    /// <summary>How many days of subscription the code grants.</summary>
    public int Days { get; set; }

    /// <summary>Who made it.</summary>
    public long CreatedBy { get; set; }

    /// <summary>When it was made (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who used it, once used.</summary>
    public long? ConsumedBy { get; set; }

    /// <summary>When it was used (UTC); <see langword="null"/> while unused.</summary>
    public DateTimeOffset? ConsumedAt { get; set; }
}
