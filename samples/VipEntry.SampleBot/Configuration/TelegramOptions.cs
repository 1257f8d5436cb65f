namespace VipEntry.SampleBot.Configuration;

/// <summary>The <c>Telegram</c> section: setting <see cref="BotToken"/> switches the sample to Telegram mode.</summary>
public sealed class TelegramOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Telegram";

    /// <summary>The token BotFather gave you (<c>Telegram__BotToken</c>).</summary>
    public string? BotToken { get; set; }

    /// <summary>Optional Bot API server (<c>Telegram__ApiBaseUrl</c>), e.g. a local one; Telegram.Bot keeps its scheme, host and port.</summary>
    public string? ApiBaseUrl { get; set; }

    /// <summary>The private VIP channel or group (<c>Telegram__VipChatId</c>), e.g. <c>-1001234567890</c>.</summary>
    public long VipChatId { get; set; }

    /// <summary>Telegram user ids allowed to use the admin commands (<c>Telegram__AdminIds__0..n</c>).</summary>
    public IList<long> AdminIds { get; } = [];

    /// <summary>
    /// The public HTTPS URL Telegram posts updates to (<c>Telegram__WebhookUrl</c>), e.g. <c>https://bot.example.com/telegram</c>.
    /// With a token, it switches the sample from long polling to webhook mode: the sample listens on the URL's path
    /// (behind your reverse proxy or load balancer) where ASP.NET Core's <c>Urls</c> / <c>ASPNETCORE_URLS</c> says.
    /// </summary>
    public string? WebhookUrl { get; set; }

    /// <summary>
    /// The secret Telegram sends back in <c>X-Telegram-Bot-Api-Secret-Token</c> (<c>Telegram__WebhookSecret</c>): 1–256
    /// characters of <c>A–Z a–z 0–9 _ -</c>. Required in webhook mode.
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// Sells VIP access with Telegram Stars subscriptions (<c>Telegram__StarsPrice</c>): the price of one month in whole Stars
    /// (1–10000). Unset, the bot sells nothing in Telegram mode (activation codes stay); the terminal simulates payments at
    /// this price, or at <see cref="TerminalDemoPrice"/>.
    /// </summary>
    public int? StarsPrice { get; set; }

    /// <summary>The price the terminal's simulated payments use when <see cref="StarsPrice"/> is not set.</summary>
    public const int TerminalDemoPrice = 250;

    /// <summary>Whether a token is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(BotToken);

    /// <summary>Whether webhook mode is on: a token and a webhook URL.</summary>
    public bool IsWebhook => IsConfigured && !string.IsNullOrWhiteSpace(WebhookUrl);
}
