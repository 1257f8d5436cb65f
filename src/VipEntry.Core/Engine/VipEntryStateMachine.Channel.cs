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
        var entitled = current is not null && current.IsEntitledAt(now);
        if (!entitled)
        {
            Diagnostics.VipEntryLog.NotEntitledInside(_logger, personId, current?.Stage ?? VipEntryStage.NotEnrolled);
        }

        return entitled;
    }

    /// <inheritdoc />
    public ValueTask ReportOutsideAsync(long personId, CancellationToken cancellationToken = default) =>
        _channels.RecordOutsideAsync(Chat, personId, cancellationToken);

    // Write-ahead: the links a change is about to take out of use are owed BEFORE the change is written, so no fault or
    // crash between the two can lose them. The worker revokes an owed link only once it no longer stands (it is not its
    // owner's current grant link), so a change that then loses its compare-and-set, or fails, revokes nothing in use.
    // A failure here throws before anything changed.
    private async ValueTask OweAheadAsync(long personId, string? first, string? second = null)
    {
        string[] links = [.. new[] { first, second }.OfType<string>().Where(IsStorableLink).Distinct(StringComparer.Ordinal)];
        if (links.Length > 0)
        {
            await _channels.OweRevocationsAsync(Chat, personId, links, Now, CancellationToken.None).ConfigureAwait(false);
        }
    }

    // A link learnt only after a change (an issuer made it, the store could not record it): owed now. The change is done,
    // so a failure here is logged, not thrown; the link is in the result's LinksToRevoke too, and the engine refuses it
    // anyway (no grant has it).
    private async ValueTask OweAfterAsync(long personId, string link)
    {
        try
        {
            await OweAheadAsync(personId, link).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Diagnostics.VipEntryLog.ChannelFactNotRecorded(_logger, ex, personId, "a link to revoke");
        }
    }

    // The entitlement of these people changed: the worker re-checks whatever facts it holds on them. After a change that is
    // written, a failure is logged, not thrown: every fact such a change can leave owed is already due (a lapse's facts at
    // the subscription end, failed work at its lease end), so this only makes the worker sooner.
    private async ValueTask MarkDueAsync(long[] personIds)
    {
        if (personIds.Length == 0)
        {
            return;
        }

        try
        {
            await _channels.MarkDueAsync(Chat, personIds, Now, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Diagnostics.VipEntryLog.ChannelFactNotRecorded(_logger, ex, personIds[0], "a changed entitlement");
        }
    }

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

        // "Outside" is not recorded from this answer: a join reported between the question and such a write would be lost,
        // and a member inside would then not be removed at their lapse. "May be inside" stays as it is (a removal of
        // someone already out is done at once).
        return null;
    }

    // A link goes into a line-separated list: one with a line break (or any control character) is not a transport link.
    private static bool IsStorableLink(string link) =>
        link.Length is > 0 and <= MaxLinkLength && !link.AsSpan().ContainsAnyInRange('\u0000', '\u001f');
}
