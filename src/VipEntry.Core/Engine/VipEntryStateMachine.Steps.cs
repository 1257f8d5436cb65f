// The ritual's steps as the member sees them: R3 (advancing is a compare-and-set from the stage shown), R4 (the
// logged administrative skip is the only way past stages 1 and 2), R8 (an ended subscription blocks every step),
// R9 (resumption shows the same prompt), R11 (garbage callback data changes nothing) and R14 (callback buttons).
using System.Globalization;
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.Engine;

public sealed partial class VipEntryStateMachine
{
    /// <inheritdoc />
    public async ValueTask<VipEntryResult> AdvanceAsync(long subscriberId, VipEntryStage from, CancellationToken cancellationToken = default)
    {
        if (!VipEntryStateDiagram.TryGetAdvanceTarget(from, out var to))
        {
            return await ResultAtCurrentStageAsync(VipEntryOutcome.InvalidInput, subscriberId, cancellationToken).ConfigureAwait(false);
        }

        var now = Now;
        if (await _store.TryAdvanceAsync(subscriberId, from, to, now, cancellationToken).ConfigureAwait(false))
        {
            VipEntryLog.Advanced(_logger, subscriberId, from, to);
            _metrics.Advanced(to);
            await NotifyAsync(subscriberId, from, to, VipEntryTrigger.Advance, now, cancellationToken).ConfigureAwait(false);
            return VipEntryResult.Of(VipEntryOutcome.Advanced, subscriberId, to);
        }

        var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
        var result = current switch
        {
            null => VipEntryResult.Of(VipEntryOutcome.NotEnrolled, subscriberId, VipEntryStage.NotEnrolled),
            _ when !current.IsActiveAt(now) => VipEntryResult.Of(VipEntryOutcome.SubscriptionExpired, subscriberId, current.Stage),
            _ => VipEntryResult.Of(VipEntryOutcome.StaleStage, subscriberId, current.Stage),
        };
        VipEntryLog.AdvanceIgnored(_logger, subscriberId, from, result.Stage, result.Outcome);
        return result;
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryStep> GetStepAsync(long subscriberId, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        culture ??= await GetCultureAsync(subscriberId, cancellationToken).ConfigureAwait(false);
        var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
        VipEntryResult result;
        if (IsBlocked(subscriberId, current, Now, out var blocked))
        {
            // R16: a completed member with a live re-entry link sees it again, as stage 3 shows its link, so a repeated
            // re-entry press need not send it twice (issue 15).
            result = LiveReentry(current, Now) ?? blocked;
        }
        else if (current.Stage == VipEntryStage.AccessDelivery)
        {
            result = await DeliverAsync(subscriberId, reentry: false, reissue: false, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Stages 1 and 2: the prompt is the same whenever the member comes back (R9).
            result = VipEntryResult.Of(VipEntryOutcome.AtStage, subscriberId, current.Stage);
        }

        return new VipEntryStep(result, _prompts.Build(result, culture));
    }

    private VipEntryResult? LiveReentry(VipEntryRecord? current, DateTimeOffset now)
    {
        var lifetime = Options.LinkLifetime;
        return current is { Stage: VipEntryStage.Completed, GrantLink: { } link } && current.IsActiveAt(now) && current.HasLiveGrant(now, lifetime)
            ? VipEntryResult.Of(VipEntryOutcome.AccessShown, current.SubscriberId, current.Stage) with
            {
                Access = new VipEntryAccess(link, current.GrantExpiresAt(lifetime)!.Value, CanBeShownAgain: true),
            }
            : null;
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryStep> HandleCallbackAsync(long subscriberId, string? callbackData, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        if (!VipEntryCallbackData.TryDecode(callbackData, out var callback))
        {
            // Garbage changes nothing (R11): at stage 3 the member is shown what is there, never a newly minted grant.
            culture ??= await GetCultureAsync(subscriberId, cancellationToken).ConfigureAwait(false);
            var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
            if (current is { Stage: VipEntryStage.AccessDelivery } && current.IsActiveAt(Now))
            {
                var lifetime = Options.LinkLifetime;
                var invalidAtStage3 = VipEntryResult.Of(VipEntryOutcome.InvalidInput, subscriberId, current.Stage) with
                {
                    Access = current.HasLiveGrant(Now, lifetime) && current.GrantLink is { } shown
                        ? new VipEntryAccess(shown, current.GrantExpiresAt(lifetime)!.Value, CanBeShownAgain: true)
                        : null,
                };
                return new VipEntryStep(invalidAtStage3, invalidAtStage3.Access is null
                    ? _prompts.InvalidLink(culture)
                    : _prompts.Build(invalidAtStage3, culture));
            }

            var step = await GetStepAsync(subscriberId, culture, cancellationToken).ConfigureAwait(false);
            return step with { Result = step.Result with { Outcome = VipEntryOutcome.InvalidInput } };
        }

        var pressed = callback.Action switch
        {
            VipEntryCallbackAction.Advance => await AdvanceAsync(subscriberId, callback.Stage, cancellationToken).ConfigureAwait(false),
            VipEntryCallbackAction.RequestReentry => await RequestReentryAsync(subscriberId, cancellationToken).ConfigureAwait(false),
            _ => await ReissueAccessAsync(subscriberId, cancellationToken).ConfigureAwait(false),
        };

        culture ??= await GetCultureAsync(subscriberId, cancellationToken).ConfigureAwait(false);
        // A re-entry press of a member the transport reports inside says so (R16, R19), not the completed notice again.
        if (pressed.Access is not null || pressed.Outcome is VipEntryOutcome.ReissueTooSoon or VipEntryOutcome.LinkIssuerFailed or VipEntryOutcome.AlreadyInside)
        {
            return new VipEntryStep(pressed, _prompts.Build(pressed, culture));
        }

        var next = await GetStepAsync(subscriberId, culture, cancellationToken).ConfigureAwait(false);

        // The stage-2 press that also delivered the grant says so in its outcome (AccessIssued), not only through Access.
        var outcome = pressed.Outcome == VipEntryOutcome.Advanced && next.Result.Outcome is VipEntryOutcome.AccessIssued
            ? next.Result.Outcome
            : pressed.Outcome;
        return next with { Result = next.Result with { Outcome = outcome, LinksToRevoke = [.. pressed.LinksToRevoke, .. next.Result.LinksToRevoke] } };
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryResult> SkipAsync(long subscriberId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);

            // R8: an ended subscription blocks every step, a skip to completion included.
            if (IsBlocked(subscriberId, current, Now, out var blocked))
            {
                return blocked;
            }

            await OweAheadAsync(subscriberId, current.GrantLink).ConfigureAwait(false);
            if (!await _store.TrySkipAsync(current, Now, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            VipEntryLog.Skipped(_logger, subscriberId, current.Stage, actor, reason);
            _metrics.Skipped();
            await NotifyAsync(subscriberId, current.Stage, VipEntryStage.Completed, VipEntryTrigger.AdministrativeSkip, Now, cancellationToken).ConfigureAwait(false);
            await MarkDueAsync([subscriberId]).ConfigureAwait(false);
            return VipEntryResult.Of(VipEntryOutcome.Skipped, subscriberId, VipEntryStage.Completed) with { LinksToRevoke = LinkList(current.GrantLink) };
        }

        VipEntryLog.Conflict(_logger, nameof(SkipAsync), subscriberId);
        return await ResultAtCurrentStageAsync(VipEntryOutcome.Conflict, subscriberId, cancellationToken).ConfigureAwait(false);
    }
}
