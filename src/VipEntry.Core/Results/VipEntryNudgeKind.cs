namespace VipEntry.Core.Results;

/// <summary>Why a member is nudged (R18).</summary>
public enum VipEntryNudgeKind
{
    /// <summary>The member has been at stage 1, 2 or 3 for longer than <see cref="Options.VipEntryOptions.NudgeIdleAfter"/>.</summary>
    IdleAtStage,

    /// <summary>The member's unused grant expires within <see cref="Options.VipEntryOptions.NudgeBeforeExpiry"/>.</summary>
    GrantExpiringSoon,
}
