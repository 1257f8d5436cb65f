using VipEntry.Core.Stages;

namespace VipEntry.Core.Diagnostics;

/// <summary>A state change that happened (R15).</summary>
/// <param name="SubscriberId">The subscriber.</param>
/// <param name="From">The stage before.</param>
/// <param name="To">The stage after.</param>
/// <param name="Trigger">What caused it.</param>
/// <param name="OccurredAt">When (UTC).</param>
public sealed record VipEntryTransitionEvent(long SubscriberId, VipEntryStage From, VipEntryStage To, VipEntryTrigger Trigger, DateTimeOffset OccurredAt);
