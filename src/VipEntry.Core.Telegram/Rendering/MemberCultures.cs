using System.Globalization;
using Telegram.Bot.Types;
using VipEntry.Core.Engine;

namespace VipEntry.Core.Telegram.Rendering;

/// <summary>
/// The culture of a member's texts: their Telegram <c>language_code</c> (<c>es</c>, <c>en</c>, <c>pt-br</c>, …) when it
/// names a culture, and then remembered for them (issue 15); else the one remembered earlier (on any replica, before a
/// restart); else <see cref="VipEntry.Core.Options.VipEntryOptions.DefaultCulture"/>. The message provider then falls back per culture.
/// </summary>
internal static class MemberCultures
{
    // IETF tags are short; anything longer is not a language code (and the store keeps at most this many characters).
    private const int MaxLanguageCodeLength = Storage.VipEntryChannelRecord.MaxLanguageLength;

    /// <summary>
    /// The culture of the member an update names: their <c>language_code</c>, when it names a culture, is remembered
    /// durably (the store writes only when it changed) and used; else the remembered one, else the default.
    /// </summary>
    public static async ValueTask<CultureInfo> SeenAsync(IVipEntryStateMachine engine, User user, CancellationToken cancellationToken)
    {
        if (Parse(user.LanguageCode) is { } seen)
        {
            await engine.RememberCultureAsync(user.Id, seen, cancellationToken).ConfigureAwait(false);
            return seen;
        }

        return await engine.GetCultureAsync(user.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The culture a <c>language_code</c> names, or <see langword="null"/> (no store access: for answers that must be fast).</summary>
    public static CultureInfo? Parse(string? languageCode)
    {
        if (string.IsNullOrWhiteSpace(languageCode) || languageCode.Length > MaxLanguageCodeLength)
        {
            return null;
        }

        try
        {
            var culture = CultureInfo.GetCultureInfo(languageCode, predefinedOnly: true);
            return string.IsNullOrEmpty(culture.Name) ? null : culture;
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }
}
