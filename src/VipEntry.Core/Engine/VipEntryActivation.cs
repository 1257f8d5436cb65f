namespace VipEntry.Core.Engine;

/// <summary>One member of a bulk activation: a subscriber and when their (new) subscription ends.</summary>
/// <param name="SubscriberId">The subscriber.</param>
/// <param name="SubscriptionEndsAt">When the subscription ends; any offset, stored as UTC.</param>
public readonly record struct VipEntryActivation(long SubscriberId, DateTimeOffset SubscriptionEndsAt);
