using VipEntry.Core.Stages;

namespace VipEntry.Core.Results;

/// <summary>A subscriber whose subscription ended, reported once by a sweep (R8).</summary>
/// <param name="SubscriberId">The subscriber.</param>
/// <param name="Stage">The stage they were at when the lapse was recorded.</param>
/// <param name="SubscriptionEndedAt">When the subscription ended.</param>
/// <param name="LinkToRevoke">The transport link of their revoked grant, if any.</param>
public sealed record VipEntryLapse(long SubscriberId, VipEntryStage Stage, DateTimeOffset SubscriptionEndedAt, string? LinkToRevoke)
{
    /// <summary>Whether the subscriber had completed the ritual and so is inside the channel and must be removed.</summary>
    public bool ShouldRemoveFromChannel => Stage == VipEntryStage.Completed;
}
