namespace VipEntry.Core.EfCore;

/// <summary>
/// The EF Core property names of the ritual columns. On a host entity they are shadow properties unless the
/// entity declares CLR properties of these names (as <see cref="VipEntrySubscriber"/> does).
/// </summary>
public static class VipEntryPropertyNames
{
    /// <summary>The stage (<see cref="Nullable{T}"/> of <see cref="int"/>: 1, 2, 3, or null when completed).</summary>
    public const string Stage = "VipEntryStage";

    /// <summary>The grant token hash (string, 64 hex characters).</summary>
    public const string TokenHash = "VipEntryTokenHash";

    /// <summary>The grant issue time (<see cref="Nullable{T}"/> of <see cref="DateTimeOffset"/>).</summary>
    public const string IssuedAt = "VipEntryIssuedAt";

    /// <summary>The recorded transport link (string).</summary>
    public const string InviteLink = "VipEntryInviteLink";

    /// <summary>The lapse record (<see cref="Nullable{T}"/> of <see cref="DateTimeOffset"/>).</summary>
    public const string LapseHandledAt = "VipEntryLapseHandledAt";

    /// <summary>The current claim on the lapse's owed channel work (string, 32 characters), R17.</summary>
    public const string LapseClaim = "VipEntryLapseClaim";

    /// <summary>When the current lapse claim's lease runs out (<see cref="Nullable{T}"/> of <see cref="DateTimeOffset"/>), R17.</summary>
    public const string LapseLeaseUntil = "VipEntryLapseLeaseUntil";

    /// <summary>The transport link the lapse's channel work must revoke (string), R17.</summary>
    public const string LapseLink = "VipEntryLapseLink";

    /// <summary>When the current stage was entered (<see cref="Nullable{T}"/> of <see cref="DateTimeOffset"/>), R18.</summary>
    public const string StageEnteredAt = "VipEntryStageEnteredAt";

    /// <summary>When the nudge of the current stage visit was handed out (<see cref="Nullable{T}"/> of <see cref="DateTimeOffset"/>), R18.</summary>
    public const string StageNudgedAt = "VipEntryStageNudgedAt";

    /// <summary>When the reminder of the current grant was handed out (<see cref="Nullable{T}"/> of <see cref="DateTimeOffset"/>), R18.</summary>
    public const string GrantNudgedAt = "VipEntryGrantNudgedAt";

    /// <summary>The length of a lapse claim id.</summary>
    public const int LapseClaimLength = 32;

    /// <summary>The longest transport link the store records; longer links are refused.</summary>
    public const int MaxInviteLinkLength = 512;
}
