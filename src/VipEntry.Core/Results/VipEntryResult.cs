using VipEntry.Core.Stages;

namespace VipEntry.Core.Results;

/// <summary>The result of a ritual operation: what happened and where the subscriber is now (R13).</summary>
public sealed record VipEntryResult
{
    /// <summary>What happened.</summary>
    public required VipEntryOutcome Outcome { get; init; }

    /// <summary>The subscriber the operation was about.</summary>
    public required long SubscriberId { get; init; }

    /// <summary>Where the subscriber is after the operation (<see cref="VipEntryStage.NotEnrolled"/> when unknown).</summary>
    public required VipEntryStage Stage { get; init; }

    /// <summary>The access link, for <see cref="VipEntryOutcome.AccessIssued"/>, <see cref="VipEntryOutcome.AccessShown"/> and <see cref="VipEntryOutcome.AccessReissued"/>.</summary>
    public VipEntryAccess? Access { get; init; }

    /// <summary>
    /// Transport links that no longer stand (replaced, redeemed or withdrawn grants). For information: the engine has
    /// recorded their revocation as owed (R19), and the channel worker revokes them (<c>IVipEntryChannelWorker.WorkOnAsync</c>
    /// does it at once); a host without a channel port may revoke them itself.
    /// </summary>
    public IReadOnlyList<string> LinksToRevoke { get; init; } = [];

    /// <summary>
    /// For information: a renewal restarted a member who had completed the ritual and whose lapse no sweep had reported yet,
    /// so they may still be inside and must come back through the ritual (R2). The removal is R19's owed channel work, done
    /// by the channel worker from the recorded facts (without a ban: they pay); the host does not act on this.
    /// </summary>
    public bool RemoveFromChannel { get; init; }

    /// <summary>
    /// For a refusal because of a cooldown (<see cref="VipEntryOutcome.ReissueTooSoon"/>): how long until asking again can
    /// succeed. <see langword="null"/> for every other outcome.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Whether the operation changed or delivered what was asked.</summary>
    public bool Succeeded => Outcome is VipEntryOutcome.Started or VipEntryOutcome.Renewed or VipEntryOutcome.Restarted
        or VipEntryOutcome.Advanced or VipEntryOutcome.AccessIssued or VipEntryOutcome.AccessShown
        or VipEntryOutcome.AccessReissued or VipEntryOutcome.Redeemed or VipEntryOutcome.Skipped or VipEntryOutcome.SubscriptionEnded
        or VipEntryOutcome.Readmitted or VipEntryOutcome.LapseConfirmed or VipEntryOutcome.EntitledAgain;

    internal static VipEntryResult Of(VipEntryOutcome outcome, long subscriberId, VipEntryStage stage) =>
        new() { Outcome = outcome, SubscriberId = subscriberId, Stage = stage };
}
