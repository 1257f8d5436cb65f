using VipEntry.Core.Stages;

namespace VipEntry.Core.Results;

/// <summary>
/// A read-only view of one subscriber (for a <c>/status</c> command or an admin page). Reading it never changes anything:
/// unlike <c>GetStepAsync</c>, it does not issue a grant at stage 3.
/// </summary>
/// <param name="SubscriberId">The subscriber.</param>
/// <param name="Stage">The stage (<see cref="VipEntryStage.NotEnrolled"/> when unknown).</param>
public sealed record VipEntryStatus(long SubscriberId, VipEntryStage Stage)
{
    /// <summary>When the subscription ends (UTC), or <see langword="null"/> when not enrolled.</summary>
    public DateTimeOffset? SubscriptionEndsAt { get; init; }

    /// <summary>Whether the subscription is active now.</summary>
    public bool IsActive { get; init; }

    /// <summary>When the current grant (stage 3, or re-entry) expires, or <see langword="null"/> without a grant.</summary>
    public DateTimeOffset? GrantExpiresAt { get; init; }

    /// <summary>Whether the current grant is live (issued and not expired).</summary>
    public bool HasLiveGrant { get; init; }

    /// <summary>Whether the current grant's transport link is recorded (so it can be shown again and revoked).</summary>
    public bool HasRecordedLink { get; init; }

    /// <summary>Where the lapse stands.</summary>
    public VipEntryLapseState Lapse { get; init; }

    /// <summary>Whether the member may ask for a re-entry grant now (R16): completed and the subscription active.</summary>
    public bool CanRequestReentry { get; init; }

    /// <summary>Whether the member is entitled to be inside the channel now: completed and the subscription active.</summary>
    public bool IsEntitled => Stage == VipEntryStage.Completed && IsActive;
}
