namespace VipEntry.Core.Storage;

/// <summary>One renewal of a bulk renewal: the arguments of <see cref="IVipEntryStore.TryRenewAsync"/>.</summary>
/// <param name="Expected">The record as read (the compare-and-set's condition, as in <see cref="IVipEntryStore.TryRenewAsync"/>).</param>
/// <param name="SubscriptionEndsAt">The new end.</param>
/// <param name="Restart">Whether the ritual restarts at stage 1.</param>
public sealed record VipEntryRenewal(VipEntryRecord Expected, DateTimeOffset SubscriptionEndsAt, bool Restart);
