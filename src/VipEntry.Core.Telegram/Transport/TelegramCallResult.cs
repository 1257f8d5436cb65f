namespace VipEntry.Core.Telegram.Transport;

/// <summary>The outcome of one Bot API call.</summary>
/// <typeparam name="T">The call's result type.</typeparam>
/// <param name="Status">How it ended.</param>
/// <param name="Value">The result, when it succeeded.</param>
/// <param name="ErrorCode">The Bot API error code, when Telegram answered with one.</param>
/// <param name="Description">Telegram's description of the error, or the exception's type for a transport failure.</param>
internal readonly record struct TelegramCallResult<T>(TelegramCallStatus Status, T? Value, int? ErrorCode, string? Description)
{
    public bool Succeeded => Status == TelegramCallStatus.Succeeded;

    /// <summary>Whether Telegram's description mentions <paramref name="text"/> (case-insensitive).</summary>
    /// <param name="text">A fragment of a Bot API error description.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public bool Says(string text) => Description?.Contains(text, StringComparison.OrdinalIgnoreCase) == true;
}
