using VipEntry.Core.Stages;

namespace VipEntry.Core.Storage;

/// <summary>A snapshot of one subscriber's ritual state as the store holds it.</summary>
/// <param name="SubscriberId">The host's subscriber id (a Telegram user id, a Discord snowflake, a database key).</param>
/// <param name="Stage">The stage; never <see cref="VipEntryStage.NotEnrolled"/> for a stored record.</param>
/// <param name="SubscriptionEndsAt">When the subscription ends (UTC).</param>
/// <param name="GrantTokenHash">SHA-256 hex of the live or last access token (a stage-3 grant, or a re-entry grant of a completed member), or <see langword="null"/> when there is no grant.</param>
/// <param name="GrantIssuedAt">When the grant was issued (the original bot's <c>invite_link_sent_at</c>).</param>
/// <param name="GrantLink">The recorded transport link of the grant (e.g. a Telegram invite link), when there is one.</param>
/// <param name="LapseHandledAt">When a worker confirmed the channel work of this subscriber's lapse (R17); cleared by a renewal.</param>
public sealed record VipEntryRecord(
    long SubscriberId,
    VipEntryStage Stage,
    DateTimeOffset SubscriptionEndsAt,
    string? GrantTokenHash,
    DateTimeOffset? GrantIssuedAt,
    string? GrantLink,
    DateTimeOffset? LapseHandledAt)
{
    /// <summary>The current claim on this subscriber's lapse (R17), while its channel work is owed and unconfirmed.</summary>
    public string? LapseClaimId { get; init; }

    /// <summary>When the current claim's lease runs out.</summary>
    public DateTimeOffset? LapseLeaseUntil { get; init; }

    /// <summary>The transport link the lapse's channel work must revoke (moved here from the grant when the lapse was first claimed).</summary>
    public string? LapseLink { get; init; }

    /// <summary>
    /// When the subscriber entered the current stage, as far as VipEntry knows (R18): set by an advance, and by the
    /// engine's activation and restart (<see cref="IVipEntryStore.TryCreateAtAsync"/>, <see cref="IVipEntryStore.TryRenewAtAsync"/>);
    /// cleared by other stage changes and unknown on rows written outside VipEntry, in which case the first nudge pass
    /// starts the clock.
    /// </summary>
    public DateTimeOffset? StageEnteredAt { get; init; }

    /// <summary>When a nudge for the current stage visit was handed out (R18); cleared by every stage change.</summary>
    public DateTimeOffset? StageNudgedAt { get; init; }

    /// <summary>When a nudge for the current grant was handed out (R18); cleared whenever the grant changes.</summary>
    public DateTimeOffset? GrantNudgedAt { get; init; }

    /// <summary>Whether a sweep has taken this lapse in hand: claimed (work owed) or confirmed.</summary>
    public bool IsLapseRecorded => LapseHandledAt is not null || LapseClaimId is not null;

    /// <summary>Whether the subscription is active at <paramref name="now"/>.</summary>
    /// <param name="now">The instant.</param>
    /// <returns><see langword="true"/> while <paramref name="now"/> is before the end.</returns>
    public bool IsActiveAt(DateTimeOffset now) => now < SubscriptionEndsAt;

    /// <summary>Whether the subscriber is entitled to be inside the channel at <paramref name="now"/> (R19): ritual completed and subscription active.</summary>
    /// <param name="now">The instant.</param>
    /// <returns><see langword="true"/> for a completed member whose subscription is active.</returns>
    public bool IsEntitledAt(DateTimeOffset now) => Stage == VipEntryStage.Completed && IsActiveAt(now);

    /// <summary>Whether there is a grant (live or expired).</summary>
    public bool HasGrant => GrantTokenHash is not null;

    /// <summary>The instant the grant expires, given the link lifetime.</summary>
    /// <param name="lifetime">The link lifetime.</param>
    /// <returns>The expiry, or <see langword="null"/> without a grant or without an issue time.</returns>
    public DateTimeOffset? GrantExpiresAt(TimeSpan lifetime) => GrantTokenHash is null ? null : GrantIssuedAt + lifetime;

    /// <summary>Whether there is a grant that has not expired at <paramref name="now"/>. A grant without an issue time is expired.</summary>
    /// <param name="now">The instant.</param>
    /// <param name="lifetime">The link lifetime.</param>
    /// <returns><see langword="true"/> for a live grant.</returns>
    public bool HasLiveGrant(DateTimeOffset now, TimeSpan lifetime) =>
        GrantTokenHash is not null && GrantIssuedAt is { } issued && now < issued + lifetime;
}
