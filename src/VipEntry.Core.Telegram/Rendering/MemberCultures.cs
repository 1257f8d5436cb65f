using System.Globalization;
using Microsoft.Extensions.Options;
using VipEntry.Core.Options;

namespace VipEntry.Core.Telegram.Rendering;

/// <summary>
/// The culture of a member's texts: their Telegram <c>language_code</c> (<c>es</c>, <c>en</c>, <c>pt-br</c>, …) when it
/// names a culture, else <see cref="VipEntryOptions.DefaultCulture"/>. The message provider then falls back per culture.
/// </summary>
/// <param name="options">The VipEntry options.</param>
internal sealed class MemberCultures(IOptionsMonitor<VipEntryOptions> options)
{
    // IETF tags are short; anything longer is not a language code.
    private const int MaxLanguageCodeLength = 16;

    public CultureInfo Default => CultureInfo.GetCultureInfo(options.CurrentValue.DefaultCulture);

    public CultureInfo For(string? languageCode)
    {
        if (string.IsNullOrWhiteSpace(languageCode) || languageCode.Length > MaxLanguageCodeLength)
        {
            return Default;
        }

        try
        {
            var culture = CultureInfo.GetCultureInfo(languageCode, predefinedOnly: true);
            return string.IsNullOrEmpty(culture.Name) ? Default : culture;
        }
        catch (CultureNotFoundException)
        {
            return Default;
        }
    }

    public CultureInfo For(CultureInfo? culture) => culture is null || string.IsNullOrEmpty(culture.Name) ? Default : culture;
}
