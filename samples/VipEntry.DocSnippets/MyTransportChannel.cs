using VipEntry.Core.Channel;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;

namespace VipEntry.DocSnippets;

/// <summary>The transport's port of the channel worker the Core README's fragment names (a stub: only compiled).</summary>
public sealed class MyTransportChannel : IVipEntryChannel
{
    /// <inheritdoc />
    public ValueTask<VipEntryChannelCallResult> RevokeLinkAsync(string link, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public ValueTask<VipEntryChannelCallResult> RemoveAsync(long personId, VipEntryRemoval removal, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public ValueTask<VipEntryChannelCallResult> LiftBanAsync(long personId, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public ValueTask<VipEntryChannelCallResult> TellAsync(long personId, VipEntryNotice notice, VipEntryPrompt message, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public ValueTask<VipEntryChannelCallResult> ShowStepAsync(long personId, VipEntryStep current, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public ValueTask<bool?> IsInsideAsync(long personId, CancellationToken cancellationToken) => throw new NotSupportedException();
}
