using Microsoft.Extensions.Options;

namespace VipEntry.Core.Telegram.Options;

/// <summary>Rules on <see cref="VipEntryTelegramOptions"/> that data annotations cannot say.</summary>
internal sealed class VipEntryTelegramOptionsCrossValidator : IValidateOptions<VipEntryTelegramOptions>
{
    public ValidateOptionsResult Validate(string? name, VipEntryTelegramOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ChatId == 0)
        {
            failures.Add($"{nameof(VipEntryTelegramOptions.ChatId)} is required: the id of the private VIP channel or supergroup (e.g. -1001234567890).");
        }

        if (options.InviteLinkName is { } linkName && linkName.Trim().Length != linkName.Length)
        {
            failures.Add($"{nameof(VipEntryTelegramOptions.InviteLinkName)} must not start or end with white space.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
