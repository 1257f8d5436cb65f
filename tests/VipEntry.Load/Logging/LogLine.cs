using System.Text.Json.Serialization;

namespace VipEntry.Load.Logging;

/// <summary>
/// One line of a process's JSONL log. <see cref="Kind"/> says which: <c>intent</c> (written and flushed before an
/// operation), <c>result</c> (after it), <c>issued</c> (a grant minted inside an operation, written by the link issuer
/// before the link is handed back), <c>summary</c> (the operations a worker sent, written when it stops gracefully).
/// Times are UTC ticks. Plain tokens never appear: grants are named by their SHA-256 hash and their recorded link.
/// </summary>
public sealed class LogLine
{
    [JsonPropertyName("k")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("w")]
    public string Worker { get; set; } = "";

    [JsonPropertyName("n")]
    public long Seq { get; set; }

    [JsonPropertyName("t")]
    public long Ticks { get; set; }

    [JsonPropertyName("op")]
    public string? Op { get; set; }

    [JsonPropertyName("mode")]
    public string? Mode { get; set; }

    [JsonPropertyName("sub")]
    public long? Subscriber { get; set; }

    [JsonPropertyName("cl")]
    public long? Claimant { get; set; }

    [JsonPropertyName("from")]
    public int? From { get; set; }

    [JsonPropertyName("end")]
    public long? End { get; set; }

    [JsonPropertyName("hash")]
    public string? TokenHash { get; set; }

    [JsonPropertyName("link")]
    public string? Link { get; set; }

    [JsonPropertyName("data")]
    public string? CallbackData { get; set; }

    [JsonPropertyName("claim")]
    public string? ClaimId { get; set; }

    [JsonPropertyName("out")]
    public string? Outcome { get; set; }

    [JsonPropertyName("st")]
    public int? Stage { get; set; }

    [JsonPropertyName("claims")]
    public List<ClaimRecord>? Claims { get; set; }

    [JsonPropertyName("err")]
    public string? Error { get; set; }

    /// <summary>What a channel worker cycle did (removed, lifted, revoked, failed, lapses confirmed, let back in).</summary>
    [JsonPropertyName("rep")]
    public Dictionary<string, long>? Report { get; set; }

    [JsonPropertyName("sent")]
    public Dictionary<string, long>? Sent { get; set; }
}
