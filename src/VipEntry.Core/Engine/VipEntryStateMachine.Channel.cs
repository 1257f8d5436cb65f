// R19: who may be inside is a recorded fact. The engine records what it knows first-hand (a redemption admits the member;
// a grant that stops standing leaves a link to revoke) and what the transport reports (someone joined or left), and says
// when an entitlement may have changed (renewal, end, skip), so the channel worker re-checks those people. The worker
// (Channel/ChannelFactsWork) compares facts with the entitlement and does what the mismatch asks.
using VipEntry.Core.Results;
using VipEntry.Core.Stages;

namespace VipEntry.Core.Engine;

public sealed partial class VipEntryStateMachine
{
    private string Chat => Options.ChannelKey;

    /// <inheritdoc />
    public async ValueTask<bool> ReportInsideAsync(long personId, CancellationToken cancellationToken = default)
    {
        var now = Now;
        await _channels.RecordInsideAsync(Chat, personId, now, cancellationToken).ConfigureAwait(false);
        var current = await _store.FindAsync(personId, cancellationToken).ConfigureAwait(false);
        var entitled = current is { Stage: VipEntryStage.Completed } && current.IsActiveAt(now);
        if (!entitled)
        {
            Diagnostics.VipEntryLog.NotEntitledInside(_logger, personId, current?.Stage ?? VipEntryStage.NotEnrolled);
        }

        return entitled;
    }

    /// <inheritdoc />
    public ValueTask ReportOutsideAsync(long personId, CancellationToken cancellationToken = default) =>
        _channels.RecordOutsideAsync(Chat, personId, cancellationToken);

    // Records the links a result reports as no longer standing as owed revocations, before the caller learns of them: from
    // here on the channel worker revokes them, whatever the caller does. Not cancelled half-way: the state change is done.
    private async ValueTask<VipEntryResult> OweAsync(VipEntryResult result)
    {
        var links = result.LinksToRevoke.Where(IsStorableLink).Distinct(StringComparer.Ordinal).ToArray();
        if (links.Length > 0)
        {
            await _channels.OweRevocationsAsync(Chat, result.SubscriberId, links, Now, CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    // The entitlement of these people may have changed: the worker re-checks whatever facts it holds on them.
    private ValueTask MarkDueAsync(long[] personIds) =>
        personIds.Length == 0 ? ValueTask.CompletedTask : _channels.MarkDueAsync(Chat, personIds, Now, CancellationToken.None);

    // R16/R19: re-entry is minted only for a member the transport reports outside, checked when they ask. Null: go on.
    private async ValueTask<VipEntryResult?> InsideAlreadyAsync(long subscriberId, CancellationToken cancellationToken)
    {
        if (_channel is null)
        {
            return null;
        }

        var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
        if (current is not { Stage: VipEntryStage.Completed } || !current.IsActiveAt(Now))
        {
            return null;
        }

        var inside = await _channel.IsInsideAsync(subscriberId, cancellationToken).ConfigureAwait(false);
        if (inside == true)
        {
            await _channels.RecordInsideAsync(Chat, subscriberId, Now, cancellationToken).ConfigureAwait(false);
            return VipEntryResult.Of(VipEntryOutcome.AlreadyInside, subscriberId, VipEntryStage.Completed);
        }

        if (inside == false)
        {
            await _channels.RecordOutsideAsync(Chat, subscriberId, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    // A link goes into a line-separated list: one with a line break (or any control character) is not a transport link.
    private static bool IsStorableLink(string link) =>
        link.Length is > 0 and <= MaxLinkLength && !link.AsSpan().ContainsAnyInRange('\u0000', '\u001f');
}
