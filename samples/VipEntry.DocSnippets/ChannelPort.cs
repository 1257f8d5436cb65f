using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Channel;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;

namespace VipEntry.DocSnippets;

/// <summary>docs/channel-port.md: another transport's port, its registration and its reports.</summary>
public static class ChannelPort
{
    /// <summary>Section 2, with what it names from the host as parameters.</summary>
    public static void Register(IServiceCollection services)
    {
        #region register
        services.AddVipEntry()
            .AddEntityFrameworkCoreStore<BotDbContext>()       // ritual state and channel facts in your database
            .UseChannel<DiscordVipChannel>(o => o.Interval = TimeSpan.FromMinutes(1));
        #endregion
    }

    /// <summary>Section 3, with what it names from the host as parameters.</summary>
    public static async Task Report(IVipEntryStateMachine engine, IVipEntryChannelWorker worker, long userId, bool joined, CancellationToken ct)
    {
        if (joined)
        {
            #region report-inside
            // someone joined (by any means): recorded durably; not entitled → their removal is owed
            if (!await engine.ReportInsideAsync(userId, ct))
                await worker.WorkOnAsync(userId, ct);             // do it now instead of at the next cycle
            #endregion
        }
        else
        {
            #region report-outside
            // someone left, or was removed by an admin
            await engine.ReportOutsideAsync(userId, ct);
            #endregion
        }
    }
}

#region port
public sealed class DiscordVipChannel : IVipEntryChannel   // inject your transport's client; each body calls it
{
    public ValueTask<VipEntryChannelCallResult> RevokeLinkAsync(string link, CancellationToken cancellationToken) => throw new NotImplementedException();
    public ValueTask<VipEntryChannelCallResult> RemoveAsync(long personId, VipEntryRemoval removal, CancellationToken cancellationToken) => throw new NotImplementedException();
    public ValueTask<VipEntryChannelCallResult> LiftBanAsync(long personId, CancellationToken cancellationToken) => throw new NotImplementedException();
    public ValueTask<VipEntryChannelCallResult> TellAsync(long personId, VipEntryNotice notice, VipEntryPrompt message, CancellationToken cancellationToken) => throw new NotImplementedException();
    public ValueTask<VipEntryChannelCallResult> ShowStepAsync(long personId, VipEntryStep current, CancellationToken cancellationToken) => throw new NotImplementedException();
    public ValueTask<bool?> IsInsideAsync(long personId, CancellationToken cancellationToken) => throw new NotImplementedException();
}
#endregion
