namespace VipEntry.Core.Telegram.Tests.Faults;

/// <summary>How a Bot API call fails in the transport fault tests.</summary>
public enum BotApiFault
{
    /// <summary>The connection drops without an answer (HttpClient's own retry of a reused connection fails too).</summary>
    ConnectionDropped,

    /// <summary>The call is held longer than the host's <c>HttpClient.Timeout</c> (Telegram.Bot: RequestException "Request timed out"); it may still take effect later, as a real timed-out call can.</summary>
    Timeout,

    /// <summary>429 with <c>retry_after</c> = 1 s on every attempt: VipEntry waits it out on the clock and gives up after its retries.</summary>
    RateLimited,

    /// <summary>400 Bad Request (the chat is not found: the bot was removed or misconfigured).</summary>
    BadRequest,

    /// <summary>403 Forbidden (the member blocked the bot; the bot is not an administrator of the chat).</summary>
    Forbidden,
}
