using Microsoft.Extensions.Options;

namespace VipEntry.Core.Telegram.Payments;

/// <summary>With <c>SellWithStars</c>, a price is required (the range itself is a data annotation on the options).</summary>
internal sealed class StarsOptionsValidator : IValidateOptions<VipEntryTelegramOptions>
{
    public ValidateOptionsResult Validate(string? name, VipEntryTelegramOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.StarsPrice is null
            ? ValidateOptionsResult.Fail($"{nameof(VipEntryTelegramOptions.StarsPrice)} is required when selling with Telegram Stars (SellWithStars): the price of one month in whole Stars, 1-10000.")
            : ValidateOptionsResult.Success;
    }
}
