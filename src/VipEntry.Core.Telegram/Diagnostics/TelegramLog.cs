using Microsoft.Extensions.Logging;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Telegram.Transport;

namespace VipEntry.Core.Telegram.Diagnostics;

/// <summary>Source-generated log events of the Telegram side. No event takes an invite link or callback data beyond its outcome.</summary>
internal static partial class TelegramLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning, Message = "Bot API {Method} answered 429: waiting {RetryAfter} before retry {Attempt}")]
    public static partial void RateLimited(ILogger logger, string method, TimeSpan retryAfter, int attempt);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Bot API {Method} answered 429 (retry after {RetryAfter}) after {Retries} retries: giving up")]
    public static partial void RateLimitGivenUp(ILogger logger, string method, TimeSpan retryAfter, int retries);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Bot API {Method} failed with {ErrorCode}: {Description}")]
    public static partial void ApiError(ILogger logger, string method, int errorCode, string description);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Bot API {Method} could not be reached")]
    public static partial void TransportError(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Invite link for subscriber {SubscriberId} not created: {Status} {ErrorCode}")]
    public static partial void LinkNotIssued(ILogger logger, long subscriberId, TelegramCallStatus status, int? errorCode);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "An invite link could not be revoked; the engine no longer honours it")]
    public static partial void RevokeFailed(ILogger logger);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "User {UserId} cannot be removed from the VIP chat, nothing to do: {Description}")]
    public static partial void NothingToRemove(ILogger logger, long userId, string description);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Debug, Message = "Button press of {UserId}: {Outcome}")]
    public static partial void CallbackHandled(ILogger logger, long userId, VipEntryOutcome outcome);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Join request of {UserId}: {Outcome}")]
    public static partial void JoinRequest(ILogger logger, long userId, VipEntryOutcome outcome);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Error, Message = "Join request of {UserId} redeemed but not approved; the link is kept and re-entry offered")]
    public static partial void ApprovalFailed(ILogger logger, long userId);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Join request of {UserId} refused by the ritual but not declined; it stays pending")]
    public static partial void DeclineFailed(ILogger logger, long userId);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "User {UserId} joined the VIP chat without being entitled (stage {Stage}): removing")]
    public static partial void Intruder(ILogger logger, long userId, VipEntryStage stage);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "User {UserId} joined the VIP chat without being entitled and could not be removed; the channel worker retries")]
    public static partial void IntruderRemovalFailed(ILogger logger, long userId);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Error, Message = "Subscriber {SubscriberId} renewed after a lapse and must leave the VIP chat, but could not be removed: remove them by hand")]
    public static partial void RenewalRemovalFailed(ILogger logger, long subscriberId);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Channel work for lapsed subscriber {SubscriberId} failed at {Step}; it stays owed and is retried after the lease")]
    public static partial void LapseWorkFailed(ILogger logger, long subscriberId, string step);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Information, Message = "Channel work for lapsed subscriber {SubscriberId} done (retry: {IsRetry}): {Outcome}")]
    public static partial void LapseHandled(ILogger logger, long subscriberId, bool isRetry, VipEntryOutcome outcome);

    [LoggerMessage(EventId = 2016, Level = LogLevel.Warning, Message = "Subscriber {SubscriberId} is entitled again but could not be told how to come back: {Status}")]
    public static partial void LetBackInUntold(ILogger logger, long subscriberId, TelegramCallStatus status);

    [LoggerMessage(EventId = 2017, Level = LogLevel.Information, Message = "VipEntry channel worker turned off (RunChannelWorker = false)")]
    public static partial void WorkerDisabled(ILogger logger);

    [LoggerMessage(EventId = 2018, Level = LogLevel.Information, Message = "VipEntry channel worker started; sweeping every {Interval}")]
    public static partial void WorkerStarted(ILogger logger, TimeSpan interval);

    [LoggerMessage(EventId = 2019, Level = LogLevel.Information, Message = "Channel work: {Claimed} lapses claimed, {Confirmed} confirmed ({EntitledAgain} entitled again), {Failed} still owed, {ClaimLost} claims lost")]
    public static partial void WorkerCycle(ILogger logger, int claimed, int confirmed, int entitledAgain, int failed, int claimLost);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Error, Message = "A channel worker cycle failed; the next one retries")]
    public static partial void WorkerCycleFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "A reminder (R18) for subscriber {SubscriberId} could not be sent ({Status}); it is not sent again")]
    public static partial void NudgeUntold(ILogger logger, long subscriberId, TelegramCallStatus status);

    [LoggerMessage(EventId = 2023, Level = LogLevel.Error, Message = "Subscriber {SubscriberId} renewed while a worker's removal was under way, and a ban it may have left could not be lifted: unban them by hand")]
    public static partial void RenewalBanNotLifted(ILogger logger, long subscriberId);

    [LoggerMessage(EventId = 2024, Level = LogLevel.Error, Message = "User {UserId} joined the VIP chat without being entitled and could not be removed in {Attempts} attempts: remove them by hand")]
    public static partial void IntruderRemovalGivenUp(ILogger logger, long userId, int attempts);

    [LoggerMessage(EventId = 2025, Level = LogLevel.Warning, Message = "Bot API {Method} refused to remove user {UserId} from the VIP chat: {Description}; the removal stays owed and is retried (does the bot have the right to ban members?)")]
    public static partial void RemovalRefused(ILogger logger, string method, long userId, string description);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Information, Message = "Reminders sent: {Sent}")]
    public static partial void NudgesSent(ILogger logger, int sent);
}
