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

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "User {UserId} joined the VIP chat without being entitled: removing")]
    public static partial void Intruder(ILogger logger, long userId);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "User {UserId} joined the VIP chat without being entitled and could not be removed now; the removal is recorded and the channel worker's next cycles do it")]
    public static partial void IntruderRemovalFailed(ILogger logger, long userId);

    [LoggerMessage(EventId = 2025, Level = LogLevel.Warning, Message = "Bot API {Method} refused to remove user {UserId} from the VIP chat: {Description}; the removal stays owed and is retried (does the bot have the right to ban members?)")]
    public static partial void RemovalRefused(ILogger logger, string method, long userId, string description);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Information, Message = "Pre-checkout of {UserId} for a VipEntry offer answered {Accepted} ({Reason}); answer delivered: {Answered}")]
    public static partial void PreCheckout(ILogger logger, long userId, bool accepted, string reason, bool answered);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Warning, Message = "Payment {ChargeId} of {UserId} carries a VipEntry payload but is refused ({Reason}): nothing activated")]
    public static partial void PaymentRefused(ILogger logger, string chargeId, long userId, string reason);

    [LoggerMessage(EventId = 2032, Level = LogLevel.Information, Message = "Payment {ChargeId} of {UserId} ({Amount} {Currency}, until {PeriodEnd}): {Outcome}")]
    public static partial void PaymentApplied(ILogger logger, string chargeId, long userId, long amount, string currency, DateTimeOffset periodEnd, VipEntryOutcome outcome);

    [LoggerMessage(EventId = 2033, Level = LogLevel.Warning, Message = "Payment {ChargeId} of {UserId} could not be applied now ({Outcome}); it stays owed and is applied by a later delivery or the payments worker")]
    public static partial void PaymentNotApplied(ILogger logger, string chargeId, long userId, VipEntryOutcome outcome);

    [LoggerMessage(EventId = 2042, Level = LogLevel.Warning, Message = "Payment {ChargeId} of {UserId} was refunded while it was applied: the subscription it started is ended again")]
    public static partial void PaymentRefundedWhileApplied(ILogger logger, string chargeId, long userId);

    [LoggerMessage(EventId = 2034, Level = LogLevel.Debug, Message = "Payment {ChargeId}: {Claim}, nothing to do here")]
    public static partial void PaymentNotClaimed(ILogger logger, string chargeId, VipEntry.Core.Storage.VipEntryPaymentClaim claim);

    [LoggerMessage(EventId = 2035, Level = LogLevel.Warning, Message = "Refund of {UserId}'s payment {ChargeId}: {Outcome} ({ErrorCode} {Description})")]
    public static partial void Refund(ILogger logger, long userId, string chargeId, VipEntry.Core.Telegram.VipEntryStarsRefundOutcome outcome, int? errorCode, string? description);

    [LoggerMessage(EventId = 2036, Level = LogLevel.Warning, Message = "Renewal of the subscription of payment {ChargeId} ({UserId}) not canceled now ({Status} {ErrorCode}); it stays owed")]
    public static partial void RenewalCancelFailed(ILogger logger, string chargeId, long userId, TelegramCallStatus status, int? errorCode);

    [LoggerMessage(EventId = 2037, Level = LogLevel.Warning, Message = "Renewal of the subscription of payment {ChargeId} ({UserId}) refused by Telegram ({Description}): it no longer renews; taken as canceled")]
    public static partial void RenewalCancelRejected(ILogger logger, string chargeId, long userId, string? description);

    [LoggerMessage(EventId = 2039, Level = LogLevel.Warning, Message = "Refund of {UserId} done; canceling the renewal failed and is left owed to the payments worker")]
    public static partial void RenewalCancelDeferred(ILogger logger, Exception exception, long userId);

    [LoggerMessage(EventId = 2038, Level = LogLevel.Warning, Message = "Stars offer for {UserId} not sent: {Status} {ErrorCode}")]
    public static partial void OfferFailed(ILogger logger, long userId, TelegramCallStatus status, int? errorCode);
}
