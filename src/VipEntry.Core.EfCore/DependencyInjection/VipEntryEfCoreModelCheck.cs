namespace VipEntry.Core.EfCore;

/// <summary>
/// Nothing to configure: the options type whose validation at start-up (<see cref="VipEntryEfCoreModelValidator"/>)
/// checks that the host's model carries VipEntry's mapping, so a missing <c>AddVipEntrySubscribers()</c> stops the host
/// before it serves instead of failing on every update and every worker cycle.
/// </summary>
internal sealed class VipEntryEfCoreModelCheck;
