using System.Text.Json.Serialization;

namespace VipEntry.Load.Logging;

/// <summary>A lapse handed to a worker by one sweep: whose, which lapse (the subscription end it belongs to), the claim and its lease.</summary>
public sealed class ClaimRecord
{
    [JsonPropertyName("sub")]
    public long Subscriber { get; set; }

    [JsonPropertyName("claim")]
    public string ClaimId { get; set; } = "";

    [JsonPropertyName("ended")]
    public long EndedTicks { get; set; }

    [JsonPropertyName("lease")]
    public long LeaseTicks { get; set; }

    [JsonPropertyName("st")]
    public int Stage { get; set; }

    [JsonPropertyName("retry")]
    public bool IsRetry { get; set; }

    [JsonPropertyName("drop")]
    public bool Dropped { get; set; }
}
