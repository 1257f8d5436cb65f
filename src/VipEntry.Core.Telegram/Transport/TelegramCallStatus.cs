namespace VipEntry.Core.Telegram.Transport;

/// <summary>How a Bot API call ended, as data (never an exception).</summary>
internal enum TelegramCallStatus
{
    /// <summary>The call succeeded.</summary>
    Succeeded,

    /// <summary>403: the member blocked the bot, or the bot was removed from the chat.</summary>
    Forbidden,

    /// <summary>400: the chat, user, message or link is gone or invalid (the description says which).</summary>
    Rejected,

    /// <summary>Anything else: network error, timeout, a 429 not waited out, a 5xx or another API error.</summary>
    Failed,
}
