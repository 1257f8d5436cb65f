using System.ComponentModel.DataAnnotations;

namespace VipEntry.Core.Telegram;

/// <summary>Settings of the Telegram side of the ritual, validated at start-up.</summary>
public sealed class VipEntryTelegramOptions
{
    /// <summary>
    /// The configuration section VipEntry's documentation binds these options from: <c>VipEntry:Telegram</c> (environment
    /// variables <c>VipEntry__Telegram__ChatId</c>, …), passed as <c>AddTelegram(configuration.GetSection(VipEntryTelegramOptions.SectionName))</c>.
    /// </summary>
    public const string SectionName = "VipEntry:Telegram";

    /// <summary>
    /// The private VIP channel or supergroup (e.g. <c>-1001234567890</c>). The bot must be an administrator there,
    /// allowed to invite users (create and revoke invite links, approve join requests) and to ban users. Required.
    /// </summary>
    public long ChatId { get; set; }

    /// <summary>
    /// Whether this process runs VipEntry's channel worker (a hosted service that does the owed channel work of R16–R19:
    /// removals, bans lifted, links revoked, lapses, reminders), with this package as its port. Default
    /// <see langword="true"/>. Any number of replicas may run it: the work is claimed in the database. Set
    /// <see langword="false"/> to run it yourself with <c>IVipEntryChannelWorker.RunOnceAsync</c>. Sets
    /// <c>VipEntryChannelWorkerOptions.Enabled</c>.
    /// </summary>
    public bool RunChannelWorker { get; set; } = true;

    /// <summary>How often the channel worker runs a cycle. Default 1 minute. Sets <c>VipEntryChannelWorkerOptions.Interval</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many times one Bot API call is retried after a 429 "Too Many Requests" answer, each after the
    /// <c>retry_after</c> Telegram asks for. Default 3; 0 never retries.
    /// </summary>
    [Range(0, 10)]
    public int RateLimitRetries { get; set; } = 3;

    /// <summary>
    /// The longest <c>retry_after</c> waited out; a longer one makes the call fail (the worker's lapse stays owed and is
    /// handed out again after its lease). Default 60 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The start of each invite link's name, which admins see in the chat's link list; the member's id follows it
    /// (Telegram allows 32 characters in all). Default <c>VipEntry</c>.
    /// </summary>
    [Required]
    [StringLength(12, MinimumLength = 1)]
    public string InviteLinkName { get; set; } = "VipEntry";

    /// <summary>
    /// Webhook with replicas (<see cref="IVipEntryWebhook"/>): how long a replica holds an update it is processing before
    /// another replica may take it over (a replica that dies mid-update). Longer than processing one update takes. Default 1 minute.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan WebhookUpdateLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Webhook with replicas: how long a processed update's claim is kept (a redelivery within it is acknowledged without
    /// processing) before it is purged. Longer than Telegram keeps retrying an update. Default 2 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan WebhookClaimRetention { get; set; } = TimeSpan.FromDays(2);

    /// <summary>
    /// Telegram Stars (opt-in with <c>SellWithStars</c>): the price of one month of VIP access, in whole Stars (1–10000,
    /// Telegram's limit for subscriptions). <see langword="null"/> (the default) sells nothing. Bound from
    /// <c>VipEntry:Telegram:StarsPrice</c>. Changing it changes the offer: invoices made at the old price are refused at
    /// checkout, while renewals of subscriptions bought at the old price keep being applied.
    /// </summary>
    [Range(1, 10000)]
    public int? StarsPrice { get; set; }

    /// <summary>
    /// Telegram Stars: the secret that signs invoice payloads (HMAC-SHA256), the same on every replica; at least 16
    /// characters. Without it payloads are signed with a key derived from <see cref="ChatId"/>, which still refuses any
    /// payload that is not VipEntry's or was altered but is not secret (Telegram only delivers payloads of invoices this
    /// bot created, so that is enough unless other code holding the bot's token creates invoices). Changing it refuses
    /// invoices not yet paid and the renewals of earlier subscriptions: set it once.
    /// </summary>
    [StringLength(1024, MinimumLength = 16)]
    public string? StarsPayloadKey { get; set; }
}
