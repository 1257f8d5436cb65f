namespace VipEntry.SampleBot.Ritual;

/// <summary>Who is talking to the bot, as the transport knows them.</summary>
/// <param name="Id">The user id (the Telegram user id; the configured id in the terminal). It is the VipEntry subscriber id.</param>
/// <param name="IsAdmin">Whether the admin commands are allowed.</param>
/// <param name="LanguageCode">The user's language as the transport reports it (Telegram's <c>language_code</c>), if any.</param>
public sealed record RitualUser(long Id, bool IsAdmin, string? LanguageCode = null);
