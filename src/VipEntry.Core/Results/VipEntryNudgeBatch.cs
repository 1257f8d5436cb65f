namespace VipEntry.Core.Results;

/// <summary>One bounded batch of reminders handed to this caller (R18).</summary>
/// <param name="Nudges">The reminders to send, each handed out once.</param>
/// <param name="HasMore">Whether a batch was full, so another call may find more.</param>
public sealed record VipEntryNudgeBatch(IReadOnlyList<VipEntryNudge> Nudges, bool HasMore);
