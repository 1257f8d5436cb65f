using Microsoft.Extensions.Options;

namespace VipEntry.Core.Telegram.Options;

/// <summary>The source-generated validator of the data-annotation rules on <see cref="VipEntryTelegramOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class VipEntryTelegramOptionsValidator : IValidateOptions<VipEntryTelegramOptions>;
