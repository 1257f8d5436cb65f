using VipEntry.Core.Channel;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.Load.Logging;
using VipEntry.Load.Storage;

namespace VipEntry.Load.Workers;

/// <summary>
/// The load run's transport behind the channel port: the model VIP chat in the run's database (<see cref="LoadChannelTable"/>),
/// shared by every process. A keep-out removal bans, then lifts the ban (Telegram's ban + unban); a removal of someone who
/// pays never bans; a lift clears the ban. With <see cref="ChannelFaults.PortFailures"/> a share of removals fail before
/// acting, of keep-out removals after the ban (which then stands), of lifts and of revocations. Every call that changes
/// the chat is logged as an operation (<c>PortRemove</c>, <c>PortLift</c>, <c>PortRevoke</c>); messages are dropped.
/// </summary>
public sealed class LoadChannel(LoadDbContext db, OpRunner ops, ChannelFaults faults) : IVipEntryChannel
{
    public const string Done = "Done";
    public const string FailedBefore = "Failed";
    public const string FailedAfterBan = "FailedAfterBan";

    public async ValueTask<VipEntryChannelCallResult> RevokeLinkAsync(string link, CancellationToken cancellationToken) =>
        await ops.LogCallAsync(
            new LogLine { Op = "PortRevoke", Link = link },
            () => Task.FromResult(faults.PortCallFails() ? FailedBefore : Done),
            (line, outcome) =>
            {
                line.Outcome = outcome;
                line.Link = link;
            }).ConfigureAwait(false) == Done ? VipEntryChannelCallResult.Done : VipEntryChannelCallResult.Failed;

    public async ValueTask<VipEntryChannelCallResult> RemoveAsync(long personId, VipEntryRemoval removal, CancellationToken cancellationToken)
    {
        var keepOut = removal == VipEntryRemoval.KeepOut;
        var outcome = await ops.LogCallAsync(
            new LogLine { Op = "PortRemove", Mode = keepOut ? "keepout" : "withoutban", Subscriber = personId },
            async () =>
            {
                if (faults.PortCallFails())
                {
                    return FailedBefore;
                }

                if (!keepOut)
                {
                    await LoadChannelTable.RemoveWithoutBanAsync(db, personId).ConfigureAwait(false);
                    return Done;
                }

                await LoadChannelTable.BanAsync(db, personId).ConfigureAwait(false);
                if (faults.PortCallFails())
                {
                    return FailedAfterBan;
                }

                await LoadChannelTable.UnbanAsync(db, personId).ConfigureAwait(false);
                return Done;
            },
            (line, o) => line.Outcome = o).ConfigureAwait(false);
        return outcome == Done ? VipEntryChannelCallResult.Done : VipEntryChannelCallResult.Failed;
    }

    public async ValueTask<VipEntryChannelCallResult> LiftBanAsync(long personId, CancellationToken cancellationToken)
    {
        var outcome = await ops.LogCallAsync(
            new LogLine { Op = "PortLift", Subscriber = personId },
            async () =>
            {
                if (faults.PortCallFails())
                {
                    return FailedBefore;
                }

                await LoadChannelTable.UnbanAsync(db, personId).ConfigureAwait(false);
                return Done;
            },
            (line, o) => line.Outcome = o).ConfigureAwait(false);
        return outcome == Done ? VipEntryChannelCallResult.Done : VipEntryChannelCallResult.Failed;
    }

    public ValueTask<VipEntryChannelCallResult> TellAsync(long personId, VipEntryNotice notice, VipEntryPrompt message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(VipEntryChannelCallResult.Done);

    public ValueTask<VipEntryChannelCallResult> ShowStepAsync(long personId, VipEntryStep current, CancellationToken cancellationToken) =>
        ValueTask.FromResult(VipEntryChannelCallResult.Done);

    public async ValueTask<bool?> IsInsideAsync(long personId, CancellationToken cancellationToken) =>
        await LoadChannelTable.IsInsideAsync(db, personId).ConfigureAwait(false);
}
