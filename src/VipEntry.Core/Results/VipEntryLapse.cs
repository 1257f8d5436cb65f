using VipEntry.Core.Stages;

namespace VipEntry.Core.Results;

/// <summary>
/// A lapsed subscription whose channel work a sweep handed to this caller under a lease (R8, R17): revoke
/// <see cref="LinkToRevoke"/>, remove the member when <see cref="ShouldRemoveFromChannel"/>, tell them, then confirm with
/// <c>ConfirmLapseHandledAsync</c>. Unconfirmed, it is handed out again once <see cref="LeaseExpiresAt"/> passes.
/// </summary>
/// <param name="SubscriberId">The subscriber.</param>
/// <param name="Stage">The stage they were at when the subscription ended.</param>
/// <param name="SubscriptionEndedAt">When the subscription ended.</param>
/// <param name="LinkToRevoke">The transport link of their revoked grant, if any.</param>
public sealed record VipEntryLapse(long SubscriberId, VipEntryStage Stage, DateTimeOffset SubscriptionEndedAt, string? LinkToRevoke)
{
    /// <summary>Whether the subscriber had completed the ritual and so may be inside the channel and must be removed.</summary>
    public bool ShouldRemoveFromChannel => Stage == VipEntryStage.Completed;

    /// <summary>The claim this caller holds; what <c>ConfirmLapseHandledAsync</c> compares. Opaque.</summary>
    public string ClaimId { get; init; } = string.Empty;

    /// <summary>When the claim's lease runs out and the lapse is handed to another worker unless confirmed.</summary>
    public DateTimeOffset LeaseExpiresAt { get; init; }

    /// <summary>Whether an earlier claim of this lapse ran out unconfirmed (a worker crashed or the transport failed), so part of the work may already be done.</summary>
    public bool IsRetry { get; init; }
}
