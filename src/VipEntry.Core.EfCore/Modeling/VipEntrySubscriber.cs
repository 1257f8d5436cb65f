namespace VipEntry.Core.EfCore;

/// <summary>
/// The ready-made subscriber entity for a host without a subscriber table of its own. Map it with
/// <see cref="VipEntryModelBuilderExtensions.AddVipEntrySubscribers"/>; the store inserts and updates it.
/// </summary>
/// <remarks>
/// The ritual columns are plain properties so that the host can read them in its own queries; change them
/// only through the VipEntry state machine, which changes them with compare-and-set statements.
/// </remarks>
public sealed class VipEntrySubscriber
{
    /// <summary>The host's subscriber id (e.g. a Telegram user id): the primary key (<c>user_id</c>).</summary>
    public long UserId { get; set; }

    /// <summary>When the subscription ends, UTC (<c>expires_at</c>).</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The stored stage: 1, 2, 3, or <see langword="null"/> when the ritual is completed (<c>vip_entry_stage</c>). New rows start at 1.</summary>
    public int? VipEntryStage { get; set; } = 1;

    /// <summary>SHA-256 hex of the live access token, never the token itself (<c>vip_entry_token</c>).</summary>
    public string? VipEntryTokenHash { get; set; }

    /// <summary>When the access grant was issued, UTC (<c>invite_link_sent_at</c>).</summary>
    public DateTimeOffset? VipEntryIssuedAt { get; set; }

    /// <summary>The recorded transport link of the grant (<c>vip_entry_invite_link</c>).</summary>
    public string? VipEntryInviteLink { get; set; }

    /// <summary>When a worker confirmed the channel work of the lapse, UTC (<c>vip_entry_lapse_handled_at</c>).</summary>
    public DateTimeOffset? VipEntryLapseHandledAt { get; set; }

    /// <summary>The current claim on the lapse's owed channel work (<c>vip_entry_lapse_claim</c>).</summary>
    public string? VipEntryLapseClaim { get; set; }

    /// <summary>When the current lapse claim's lease runs out, UTC (<c>vip_entry_lapse_lease_until</c>).</summary>
    public DateTimeOffset? VipEntryLapseLeaseUntil { get; set; }

    /// <summary>The transport link the lapse's channel work must revoke (<c>vip_entry_lapse_link</c>).</summary>
    public string? VipEntryLapseLink { get; set; }

    /// <summary>When the current stage was entered, UTC (<c>vip_entry_stage_entered_at</c>).</summary>
    public DateTimeOffset? VipEntryStageEnteredAt { get; set; }

    /// <summary>When the nudge of the current stage visit was handed out, UTC (<c>vip_entry_stage_nudged_at</c>).</summary>
    public DateTimeOffset? VipEntryStageNudgedAt { get; set; }

    /// <summary>When the reminder of the current grant was handed out, UTC (<c>vip_entry_grant_nudged_at</c>).</summary>
    public DateTimeOffset? VipEntryGrantNudgedAt { get; set; }
}
