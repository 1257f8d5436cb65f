using VipEntry.Core.Channel;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;

namespace VipEntry.Benchmarks.EfCore;

/// <summary>A channel port whose every call is done at once: the channel benchmarks measure the store and the worker, not a transport.</summary>
public sealed class NoOpChannel : IVipEntryChannel
{
    /// <summary>Calls made (any method).</summary>
    public static long Calls { get; private set; }

    public ValueTask<VipEntryChannelCallResult> RevokeLinkAsync(string link, CancellationToken cancellationToken) => Count();

    public ValueTask<VipEntryChannelCallResult> RemoveAsync(long personId, VipEntryRemoval removal, CancellationToken cancellationToken) => Count();

    public ValueTask<VipEntryChannelCallResult> LiftBanAsync(long personId, CancellationToken cancellationToken) => Count();

    public ValueTask<VipEntryChannelCallResult> TellAsync(long personId, VipEntryNotice notice, VipEntryPrompt message, CancellationToken cancellationToken) => Count();

    public ValueTask<VipEntryChannelCallResult> ShowStepAsync(long personId, VipEntryStep current, CancellationToken cancellationToken) => Count();

    public ValueTask<bool?> IsInsideAsync(long personId, CancellationToken cancellationToken) => ValueTask.FromResult<bool?>(false);

    private static ValueTask<VipEntryChannelCallResult> Count()
    {
        Calls++;
        return ValueTask.FromResult(VipEntryChannelCallResult.Done);
    }
}
