using Microsoft.Extensions.Logging;

namespace VipEntry.SampleBot.Diagnostics;

/// <summary>The sample's structured log events (source-generated).</summary>
internal static partial class SampleLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Admin {AdminId} made an activation code for {Days} days")]
    public static partial void CodeCreated(ILogger logger, long adminId, int days);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Member {UserId} activated {Days} days: {Outcome}")]
    public static partial void Activated(ILogger logger, long userId, int days, VipEntry.Core.Results.VipEntryOutcome outcome);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Admin {AdminId} ended the subscription of {UserId}")]
    public static partial void Revoked(ILogger logger, long adminId, long userId);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Join request of {UserId}: {Outcome}")]
    public static partial void JoinRequest(ILogger logger, long userId, VipEntry.Core.Results.VipEntryOutcome outcome);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "User {UserId} joined the VIP chat without a valid grant and is removed")]
    public static partial void Intruder(ILogger logger, long userId);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Sweep recorded {Count} lapses")]
    public static partial void Swept(ILogger logger, int count);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "Removal of lapsed member {UserId} failed (attempt {Attempt}); it is retried by the next sweep")]
    public static partial void RemovalFailed(ILogger logger, long userId, int attempt);

    [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "Removal of lapsed member {UserId} gave up after {Attempt} attempts")]
    public static partial void RemovalAbandoned(ILogger logger, long userId, int attempt);

    [LoggerMessage(EventId = 108, Level = LogLevel.Error, Message = "The sweep failed; it runs again at the next interval")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "Handling update {UpdateId} ({UpdateType}) failed")]
    public static partial void UpdateFailed(ILogger logger, Exception exception, int updateId, global::Telegram.Bot.Types.Enums.UpdateType updateType);

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Ignored update {UpdateId} ({UpdateType})")]
    public static partial void UpdateIgnored(ILogger logger, int updateId, global::Telegram.Bot.Types.Enums.UpdateType updateType);

    [LoggerMessage(EventId = 205, Level = LogLevel.Debug, Message = "Skipped {Id}: {Reason}")]
    public static partial void UpdateSkipped(ILogger logger, int id, string reason);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Polling error ({Source})")]
    public static partial void PollingError(ILogger logger, Exception exception, string source);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Bot API call {Method} failed")]
    public static partial void ApiCallFailed(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Telegram mode: polling as @{Username} for VIP chat {ChatId}")]
    public static partial void Polling(ILogger logger, string username, long chatId);
}
