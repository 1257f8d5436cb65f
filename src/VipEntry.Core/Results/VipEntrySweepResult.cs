namespace VipEntry.Core.Results;

/// <summary>One bounded batch of a lapse sweep (R8).</summary>
/// <param name="Lapses">The subscribers this batch recorded as lapsed; each is reported exactly once.</param>
/// <param name="HasMore">Whether the batch was full, so another sweep may find more.</param>
public sealed record VipEntrySweepResult(IReadOnlyList<VipEntryLapse> Lapses, bool HasMore);
