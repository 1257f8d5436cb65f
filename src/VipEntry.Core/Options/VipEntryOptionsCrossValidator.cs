using System.Globalization;
using Microsoft.Extensions.Options;

namespace VipEntry.Core.Options;

/// <summary>Rules on <see cref="VipEntryOptions"/> that span several fields.</summary>
internal sealed class VipEntryOptionsCrossValidator : IValidateOptions<VipEntryOptions>
{
    public ValidateOptionsResult Validate(string? name, VipEntryOptions options)
    {
        var failures = new List<string>();
        if (options.ReissueCooldown >= options.LinkLifetime)
        {
            failures.Add($"{nameof(VipEntryOptions.ReissueCooldown)} ({options.ReissueCooldown}) must be shorter than {nameof(VipEntryOptions.LinkLifetime)} ({options.LinkLifetime}), or an expired link could not be replaced.");
        }

        if (options.NudgeBeforeExpiry is { } window && window >= options.LinkLifetime)
        {
            failures.Add($"{nameof(VipEntryOptions.NudgeBeforeExpiry)} ({window}) must be shorter than {nameof(VipEntryOptions.LinkLifetime)} ({options.LinkLifetime}), or every grant would be nudged as it is issued.");
        }

        if (options.TokenLinkFormat is { } format && !format.Contains("{token}", StringComparison.Ordinal))
        {
            failures.Add($"{nameof(VipEntryOptions.TokenLinkFormat)} must contain the placeholder {{token}}.");
        }

        if (options.DefaultCulture is { } culture)
        {
            try
            {
                _ = CultureInfo.GetCultureInfo(culture, predefinedOnly: true);
            }
            catch (CultureNotFoundException)
            {
                failures.Add($"{nameof(VipEntryOptions.DefaultCulture)} '{culture}' is not a known culture.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
