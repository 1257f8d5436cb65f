using System.Collections.Concurrent;
using VipEntry.Core.Channel;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;

namespace VipEntry.SampleBot.Tests;

/// <summary>A channel port for in-process tests of the sample's commands: every call works, and is recorded.</summary>
internal sealed class QuietChannel : IVipEntryChannel
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public ValueTask<VipEntryChannelCallResult> RevokeLinkAsync(string link, CancellationToken cancellationToken) => Done("revoke " + link);

    public ValueTask<VipEntryChannelCallResult> RemoveAsync(long personId, VipEntryRemoval removal, CancellationToken cancellationToken) => Done($"remove {personId} {removal}");

    public ValueTask<VipEntryChannelCallResult> LiftBanAsync(long personId, CancellationToken cancellationToken) => Done($"lift {personId}");

    public ValueTask<VipEntryChannelCallResult> TellAsync(long personId, VipEntryNotice notice, VipEntryPrompt message, CancellationToken cancellationToken) => Done($"tell {personId} {notice}");

    public ValueTask<VipEntryChannelCallResult> ShowStepAsync(long personId, VipEntryStep current, CancellationToken cancellationToken) => Done($"step {personId}");

    public ValueTask<bool?> IsInsideAsync(long personId, CancellationToken cancellationToken) => ValueTask.FromResult<bool?>(false);

    private ValueTask<VipEntryChannelCallResult> Done(string call)
    {
        Calls.Enqueue(call);
        return ValueTask.FromResult(VipEntryChannelCallResult.Done);
    }
}
