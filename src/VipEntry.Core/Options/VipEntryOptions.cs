using System.ComponentModel.DataAnnotations;

namespace VipEntry.Core.Options;

/// <summary>Settings of the ritual, validated at start-up (R11).</summary>
public sealed class VipEntryOptions
{
    /// <summary>
    /// The configuration section VipEntry's documentation binds these options from: <c>VipEntry</c> (environment variables
    /// <c>VipEntry__LinkLifetime</c>, …), passed as <c>AddVipEntry(configuration.GetSection(VipEntryOptions.SectionName))</c>.
    /// </summary>
    public const string SectionName = "VipEntry";

    /// <summary>The chat key used when none is configured: <c>main</c>.</summary>
    public const string DefaultChannelKey = "main";

    /// <summary>How long an access grant (and its link) is valid after it is issued. Default 24 hours.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The least time between two issues of a grant for one member, so new links cannot be spammed (R7). Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ReissueCooldown { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many lapsed subscribers one sweep batch handles (R8). Default 100.</summary>
    [Range(1, 10_000)]
    public int SweepBatchSize { get; set; } = 100;

    /// <summary>
    /// How long a sweep's claim on a lapse (R17) is held before the owed channel work is handed to another worker,
    /// unless the worker confirms it first. Longer than the slowest channel work you expect (429s waited out). Default 10 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LapseLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Nudges (R18, opt-in): a member at stage 1, 2 or 3 for longer than this is handed out once per stage visit by
    /// <c>ClaimNudgesAsync</c>. <see langword="null"/> (the default) turns idle nudges off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan? NudgeIdleAfter { get; set; }

    /// <summary>
    /// Nudges (R18, opt-in): an unused grant that expires within this is handed out once per grant by
    /// <c>ClaimNudgesAsync</c>. Must be shorter than <see cref="LinkLifetime"/>. <see langword="null"/> (the default) turns them off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan? NudgeBeforeExpiry { get; set; }

    /// <summary>The culture of texts when the member's culture has none. Default <c>en</c>.</summary>
    [Required]
    public string DefaultCulture { get; set; } = "en";

    /// <summary>
    /// The format of a link that carries the token, for the built-in <see cref="Links.TokenLinkIssuer"/>:
    /// <c>{token}</c> is replaced by the token (e.g. <c>https://t.me/mybot?start={token}</c>). Default <c>{token}</c>.
    /// </summary>
    [Required]
    public string TokenLinkFormat { get; set; } = "{token}";

    /// <summary>
    /// The key of the VIP chat in the channel facts of R19 (who may be inside, bans, links to revoke). One chat today; the
    /// facts are keyed by chat so that a subscription covering several chats is a later step. At most 64 characters.
    /// Default <see cref="DefaultChannelKey"/>.
    /// </summary>
    [Required]
    [StringLength(64, MinimumLength = 1)]
    public string ChannelKey { get; set; } = DefaultChannelKey;
}
