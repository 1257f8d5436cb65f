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

    [LoggerMessage(EventId = 108, Level = LogLevel.Error, Message = "The sweep failed; it runs again at the next interval")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 111, Level = LogLevel.Error, Message = "Member {UserId}'s activation failed and their activation code could not be given back; it stays spent")]
    public static partial void CodeNotReleased(ILogger logger, Exception exception, long userId);

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

    [LoggerMessage(EventId = 206, Level = LogLevel.Information, Message = "Telegram mode: webhook set to {Url} for VIP chat {ChatId}")]
    public static partial void WebhookSet(ILogger logger, string url, long chatId);

    [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "Update {UpdateId} is being processed by another replica; answered 409 so Telegram retries it")]
    public static partial void UpdateBusy(ILogger logger, int updateId);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Telegram mode: polling as @{Username} for VIP chat {ChatId}")]
    public static partial void Polling(ILogger logger, string username, long chatId);
}
