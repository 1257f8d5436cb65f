using VipEntry.Core.Stages;

namespace VipEntry.Core.Results;

/// <summary>
/// A reminder this caller was handed (R18): send it once. Each member is handed out at most once per stage visit
/// (<see cref="VipEntryNudgeKind.IdleAtStage"/>) and once per grant (<see cref="VipEntryNudgeKind.GrantExpiringSoon"/>),
/// across every replica.
/// </summary>
/// <param name="SubscriberId">The member.</param>
/// <param name="Kind">Why.</param>
/// <param name="Stage">The stage they are at.</param>
public sealed record VipEntryNudge(long SubscriberId, VipEntryNudgeKind Kind, VipEntryStage Stage)
{
    /// <summary>For <see cref="VipEntryNudgeKind.IdleAtStage"/>: since when the member has been at the stage (as far as VipEntry knows).</summary>
    public DateTimeOffset? IdleSince { get; init; }

    /// <summary>For <see cref="VipEntryNudgeKind.GrantExpiringSoon"/>: when the grant expires.</summary>
    public DateTimeOffset? GrantExpiresAt { get; init; }

    /// <summary>
    /// For <see cref="VipEntryNudgeKind.GrantExpiringSoon"/>: the grant's recorded transport link, when there is one, so a
    /// reminder can show it again (for a completed member's unused re-entry link, whose step is no link prompt).
    /// </summary>
    public string? GrantLink { get; init; }
}
