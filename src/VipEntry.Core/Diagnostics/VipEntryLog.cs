using Microsoft.Extensions.Logging;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;

namespace VipEntry.Core.Diagnostics;

/// <summary>Source-generated log events (R15). No event takes a token or a link (R12).</summary>
internal static partial class VipEntryLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Subscriber {SubscriberId} started the VIP entry ritual")]
    public static partial void Started(ILogger logger, long subscriberId);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Subscriber {SubscriberId} renewed: {Outcome}, now at {Stage}")]
    public static partial void Renewed(ILogger logger, long subscriberId, VipEntryOutcome outcome, VipEntryStage stage);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Subscriber {SubscriberId} advanced from {From} to {To}")]
    public static partial void Advanced(ILogger logger, long subscriberId, VipEntryStage from, VipEntryStage to);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Subscriber {SubscriberId} asked to advance from {From} but is at {Stage}: {Outcome}")]
    public static partial void AdvanceIgnored(ILogger logger, long subscriberId, VipEntryStage from, VipEntryStage stage, VipEntryOutcome outcome);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Access grant issued to subscriber {SubscriberId}, expires {ExpiresAt:O} (reissue: {Reissue})")]
    public static partial void Issued(ILogger logger, long subscriberId, DateTimeOffset expiresAt, bool reissue);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Link issuer failed for subscriber {SubscriberId}: {Error}")]
    public static partial void IssuerFailed(ILogger logger, long subscriberId, string error);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Subscriber {SubscriberId} redeemed the access grant and completed the ritual")]
    public static partial void Redeemed(ILogger logger, long subscriberId);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Redemption by {ClaimantId} refused: {Outcome}")]
    public static partial void RedemptionRefused(ILogger logger, long claimantId, VipEntryOutcome outcome);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "Administrative skip of subscriber {SubscriberId} from {From} by {Actor}: {Reason}")]
    public static partial void Skipped(ILogger logger, long subscriberId, VipEntryStage from, string actor, string reason);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "Subscriber {SubscriberId} lapsed at {Stage} (subscription ended {EndedAt:O}); grant revoked")]
    public static partial void Lapsed(ILogger logger, long subscriberId, VipEntryStage stage, DateTimeOffset endedAt);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "Observer {Observer} failed on a transition of subscriber {SubscriberId}")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, string observer, long subscriberId);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Operation {Operation} for subscriber {SubscriberId} kept losing to concurrent changes")]
    public static partial void Conflict(ILogger logger, string operation, long subscriberId);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Subscription of {SubscriberId} ended now by the host, at {Stage}")]
    public static partial void Ended(ILogger logger, long subscriberId, VipEntryStage stage);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Subscriber {SubscriberId} redeemed a re-entry grant and is let back into the channel")]
    public static partial void Readmitted(ILogger logger, long subscriberId);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "Lapse of subscriber {SubscriberId} claimed again after an unconfirmed lease ran out")]
    public static partial void LapseReclaimed(ILogger logger, long subscriberId);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Information, Message = "Nudge {Kind} handed out for subscriber {SubscriberId} at {Stage}")]
    public static partial void Nudged(ILogger logger, long subscriberId, VipEntryNudgeKind kind, VipEntryStage stage);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Warning, Message = "Person {PersonId} is reported inside the VIP chat without being entitled (at {Stage}); their removal is owed")]
    public static partial void NotEntitledInside(ILogger logger, long personId, VipEntryStage stage);

    [LoggerMessage(EventId = 1018, Level = LogLevel.Warning, Message = "The channel facts of person {PersonId} could not record {What}; the channel worker finds it later")]
    public static partial void ChannelFactNotRecorded(ILogger logger, Exception exception, long personId, string what);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Information, Message = "Channel work of the lapse of subscriber {SubscriberId} confirmed: {Outcome}")]
    public static partial void LapseConfirmed(ILogger logger, long subscriberId, VipEntryOutcome outcome);
}
