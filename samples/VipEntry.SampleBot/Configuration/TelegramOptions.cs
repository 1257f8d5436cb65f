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

    /// <summary>Whether a token is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(BotToken);
}
