namespace VipEntry.Core.Stages;

/// <summary>One edge of the ritual's state diagram.</summary>
/// <param name="From">The stage before.</param>
/// <param name="Trigger">What moves the subscriber.</param>
/// <param name="To">The stage after.</param>
/// <param name="Guard">A human-readable description of the condition that must hold.</param>
public sealed record VipEntryTransition(VipEntryStage From, VipEntryTrigger Trigger, VipEntryStage To, string Guard);
