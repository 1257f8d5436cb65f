using Microsoft.Extensions.Options;

namespace VipEntry.Core.Options;

/// <summary>The source-generated validator of the data-annotation rules on <see cref="VipEntryOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class VipEntryOptionsValidator : IValidateOptions<VipEntryOptions>;
