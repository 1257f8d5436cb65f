using Microsoft.Extensions.Logging;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;

namespace VipEntry.Core.Channel;

/// <summary>Source-generated log events of the channel worker (R16–R19). No event takes a token or a link (R12).</summary>
internal static partial class ChannelLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Person {PersonId} removed from the VIP chat ({Removal}); they were not entitled (at {Stage})")]
    public static partial void Removed(ILogger logger, long personId, VipEntryRemoval removal, VipEntryStage stage);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Removing person {PersonId} from the VIP chat ({Removal}) failed; the removal stays owed and is handed out again")]
    public static partial void RemovalFailed(ILogger logger, long personId, VipEntryRemoval removal);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "A ban left on person {PersonId}, who pays, was lifted")]
    public static partial void BanLifted(ILogger logger, long personId);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Lifting a ban on person {PersonId}, who pays, failed; it stays owed and is handed out again")]
    public static partial void LiftFailed(ILogger logger, long personId);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Revoking a link of person {PersonId} failed; it stays owed and is handed out again")]
    public static partial void RevokeFailed(ILogger logger, long personId);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "The channel facts of person {PersonId} changed while a worker acted on them; they are looked at again")]
    public static partial void SettlementLost(ILogger logger, long personId);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "The claim on the channel work of person {PersonId} was lost (its lease ran out); another worker has it")]
    public static partial void ClaimLost(ILogger logger, long personId);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "The channel work of the lapse of subscriber {SubscriberId} failed at {Step}; it stays owed and is handed out again")]
    public static partial void LapseWorkFailed(ILogger logger, long subscriberId, string step);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Information, Message = "Lapse of subscriber {SubscriberId} handled: {Outcome}")]
    public static partial void LapseHandled(ILogger logger, long subscriberId, VipEntryOutcome outcome);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Information, Message = "Subscriber {SubscriberId} could not be told ({Result}); nothing is owed any more")]
    public static partial void Untold(ILogger logger, long subscriberId, VipEntryChannelCallResult result);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Information, Message = "Channel worker cycle: {Removed} removed, {BansLifted} bans lifted, {LinksRevoked} links revoked, {Failed} failed, {LapsesConfirmed} lapses confirmed, {LetBackIn} let back in, {Nudged} nudged")]
    public static partial void Cycle(ILogger logger, int removed, int bansLifted, int linksRevoked, int failed, int lapsesConfirmed, int letBackIn, int nudged);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Error, Message = "A channel worker cycle failed; the work it left is still owed and the next cycle tries again")]
    public static partial void CycleFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1114, Level = LogLevel.Warning, Message = "Person {PersonId} was removed on an entitlement that changed during the call (they completed meanwhile); they are offered the way back in")]
    public static partial void RemovedWhileEntitled(ILogger logger, long personId);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Information, Message = "Channel worker started; a cycle every {Interval}")]
    public static partial void WorkerStarted(ILogger logger, TimeSpan interval);

    [LoggerMessage(EventId = 1113, Level = LogLevel.Information, Message = "Channel worker is turned off (VipEntryChannelWorkerOptions.Enabled = false); call IVipEntryChannelWorker.RunOnceAsync yourself")]
    public static partial void WorkerDisabled(ILogger logger);
}
