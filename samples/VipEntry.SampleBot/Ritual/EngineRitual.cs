using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.Core.Options;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.SampleBot.Diagnostics;

namespace VipEntry.SampleBot.Ritual;

/// <summary>
/// The ritual straight on the engine, for a transport without a VipEntry integration package (the terminal): button
/// presses, join requests and the lapse sweep, answered with transport-neutral <see cref="RitualReply"/> values, and the
/// channel's door through <see cref="IRitualTransport"/>. On Telegram, <c>VipEntry.Core.Telegram</c> does all of this.
/// </summary>
/// <param name="machine">The VipEntry engine: the only way this service reads or changes ritual state.</param>
/// <param name="transport">The transport's door to the channel.</param>
/// <param name="messages">The library's texts.</param>
/// <param name="sweepSignal">Wakes the sweep after <c>/revoke</c>.</param>
/// <param name="options">The library's options: the texts' culture is <c>VipEntry__DefaultCulture</c> (en or es built in).</param>
/// <param name="logger">The logger.</param>
public sealed class EngineRitual(
    IVipEntryStateMachine machine,
    IRitualTransport transport,
    IVipEntryMessageProvider messages,
    SweepSignal sweepSignal,
    IOptions<VipEntryOptions> options,
    ILogger<EngineRitual> logger) : IRitualSteps
{
    private readonly CultureInfo _culture = CultureInfo.GetCultureInfo(options.Value.DefaultCulture);

    /// <inheritdoc />
    public ValueTask<string> FormatActivationLinkAsync(string code, CancellationToken cancellationToken) =>
        transport.FormatActivationLinkAsync(code, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<RitualStepShown> ShowStepAsync(RitualUser user, CultureInfo culture, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var step = await machine.GetStepAsync(user.Id, culture, cancellationToken);
        await RevokeAllAsync(step.Result.LinksToRevoke, cancellationToken);
        return new RitualStepShown(step.Result.Outcome, [ToMessage(step.Prompt)]);
    }

    /// <inheritdoc />
    public async ValueTask<RitualActivation> ActivateAsync(RitualUser user, DateTimeOffset subscriptionEndsAt, CultureInfo culture, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var result = await machine.ActivateAsync(user.Id, subscriptionEndsAt, cancellationToken);
        if (!result.Succeeded)
        {
            return new RitualActivation(result, []);
        }

        await RevokeAllAsync(result.LinksToRevoke, cancellationToken);
        if (result.RemoveFromChannel && !await transport.RemoveAsync(user.Id, cancellationToken))
        {
            // Still inside from the lapsed subscription, which no sweep had taken in hand (R2). Nothing retries this removal,
            // and nothing needs to: the member has just renewed and paid, so staying inside lets no one in who is not
            // entitled; they only skip walking the ritual again this time, and their next join goes through it.
            SampleLog.RenewalRemovalFailed(logger, user.Id);
        }

        var next = await ShowStepAsync(user, culture, cancellationToken);
        return new RitualActivation(result, next.ToSend);
    }

    /// <inheritdoc />
    public ValueTask SweepSoonAsync(CancellationToken cancellationToken)
    {
        sweepSignal.Request();
        return ValueTask.CompletedTask;
    }

    /// <summary>Handles a button press carrying VipEntry callback data (untrusted).</summary>
    /// <param name="user">Who pressed.</param>
    /// <param name="callbackData">The data.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The reply; its toast answers the press.</returns>
    public async Task<RitualReply> HandleButtonAsync(RitualUser user, string? callbackData, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!VipEntryCallbackData.IsVipEntryData(callbackData))
        {
            return new RitualReply([], "This button is not valid.");
        }

        var step = await machine.HandleCallbackAsync(user.Id, callbackData, RitualService.CultureOf(user.LanguageCode, _culture), cancellationToken);
        await RevokeAllAsync(step.Result.LinksToRevoke, cancellationToken);
        return step.Result.Outcome switch
        {
            VipEntryOutcome.InvalidInput => new RitualReply([], "This button is not valid."),
            VipEntryOutcome.StaleStage => new RitualReply([ToMessage(step.Prompt)], "Already done. Here is where you are."),
            _ => new RitualReply([ToMessage(step.Prompt)]),
        };
    }

    /// <summary>
    /// A request to join the channel with <paramref name="link"/>: admits only the member the link was issued to, when it
    /// completes their ritual (<see cref="VipEntryOutcome.Redeemed"/>) or lets a completed member back in with a re-entry
    /// link (<see cref="VipEntryOutcome.Readmitted"/>, R16), then revokes the link; turns anyone else away, a completed member
    /// with a link that is not a live grant of theirs included (they are shown the re-entry button instead).
    /// </summary>
    /// <param name="userId">Who asks.</param>
    /// <param name="link">The invite link they used (untrusted).</param>
    /// <param name="languageCode">Their language, if the transport knows it.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What to tell the person who asked.</returns>
    public async Task<RitualReply> HandleJoinRequestAsync(long userId, string? link, string? languageCode, CancellationToken cancellationToken)
    {
        var culture = RitualService.CultureOf(languageCode, _culture);
        var result = await machine.RedeemLinkAsync(userId, link, cancellationToken);
        SampleLog.JoinRequest(logger, userId, result.Outcome);
        if (result.Outcome is VipEntryOutcome.Redeemed or VipEntryOutcome.Readmitted)
        {
            var admitted = await transport.AdmitAsync(userId, cancellationToken);

            // The grant is spent whether or not the approval worked: nobody can redeem the link again, so it goes. A member
            // whose approval failed is completed now and gets back in with a re-entry link (R16), offered below.
            await RevokeAllAsync(result.LinksToRevoke, cancellationToken);
            if (admitted)
            {
                return RitualReply.Of(messages.GetNotice(VipEntryNotice.Welcome, culture));
            }

            var completed = await machine.GetStepAsync(userId, culture, cancellationToken);
            return new RitualReply([RitualMessage.Plain(messages.GetNotice(VipEntryNotice.TryAgain, culture)), ToMessage(completed.Prompt)]);
        }

        await transport.RefuseAsync(userId, cancellationToken);
        var notice = result.Outcome switch
        {
            VipEntryOutcome.Refused => VipEntryNotice.Refused,
            VipEntryOutcome.SubscriptionExpired => VipEntryNotice.SubscriptionExpired,
            VipEntryOutcome.LinkExpired => VipEntryNotice.LinkExpired,
            VipEntryOutcome.NotEnrolled => VipEntryNotice.NotEnrolled,
            _ => VipEntryNotice.InvalidLink,
        };
        var refusal = RitualMessage.Plain(messages.GetNotice(notice, culture));
        if (result.Stage != VipEntryStage.Completed)
        {
            return new RitualReply([refusal]);
        }

        // A completed member with someone else's link, or a spent one: their own way in is a re-entry link (the button).
        var step = await machine.GetStepAsync(userId, culture, cancellationToken);
        return step.Result.Outcome == VipEntryOutcome.AlreadyCompleted ? new RitualReply([refusal, ToMessage(step.Prompt)]) : new RitualReply([refusal]);
    }

    /// <summary>
    /// Sweeps lapsed subscriptions: claims them from the engine (looping while it says there is more) and does each one's
    /// channel work (revoke its link, remove the member), confirms it, then tells the member (R8, R17). A lapse whose channel
    /// work failed is not confirmed: the engine hands it out again, to this process or another, once its lease runs out.
    /// Each claim and confirmation is one statement, so several processes or replicas can sweep at once.
    /// </summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many lapses this sweep claimed.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var claimed = 0;
        var confirmed = 0;
        VipEntrySweepResult batch;
        do
        {
            // Claimed lapses are not handed out again while their lease runs, so a batch whose work failed is not met again here.
            batch = await machine.SweepAsync(cancellationToken);
            claimed += batch.Lapses.Count;
            foreach (var lapse in batch.Lapses)
            {
                if (await HandleLapseAsync(lapse, cancellationToken))
                {
                    confirmed++;
                }
            }
        }
        while (batch.HasMore);

        if (claimed > 0)
        {
            SampleLog.Swept(logger, claimed, confirmed);
        }

        return claimed;
    }

    // The channel work of one claimed lapse; true when it was confirmed.
    private async Task<bool> HandleLapseAsync(VipEntryLapse lapse, CancellationToken cancellationToken)
    {
        var userId = lapse.SubscriberId;

        // Revoking a link and removing a member are harmless to repeat, so a lapse handed out again (IsRetry) just does both.
        var done = lapse.LinkToRevoke is null || await transport.RevokeLinkAsync(lapse.LinkToRevoke, cancellationToken);
        done = done && (!lapse.ShouldRemoveFromChannel || await transport.RemoveAsync(userId, cancellationToken));
        if (!done)
        {
            // Not confirmed, so still owed: the engine hands it out again once the lease runs out (R17).
            SampleLog.LapseWorkFailed(logger, userId, lapse.LeaseExpiresAt);
            return false;
        }

        // Confirm first, then tell the member: only the worker whose confirmation counts speaks to them, so a member is
        // not told twice when a slow worker's lease ran out and another took the lapse over.
        var confirmation = await machine.ConfirmLapseHandledAsync(lapse, cancellationToken);
        switch (confirmation.Outcome)
        {
            case VipEntryOutcome.LapseConfirmed:
                var notice = lapse.ShouldRemoveFromChannel ? VipEntryNotice.RemovedAfterLapse : VipEntryNotice.SubscriptionExpired;

                // The message is a courtesy, not owed channel work: a member who blocked the bot must not keep the lapse open.
                await transport.NotifyAsync(userId, RitualMessage.Plain(messages.GetNotice(notice, _culture)), cancellationToken);
                return true;
            case VipEntryOutcome.EntitledAgain:
                SampleLog.EntitledAgain(logger, userId);
                await LetBackInAsync(lapse, cancellationToken);
                return true;
            default:
                // LapseClaimLost: our lease ran out first; the worker that holds the lapse now does it and tells the member.
                SampleLog.LapseClaimLost(logger, userId, confirmation.Outcome);
                return false;
        }
    }

    // The member renewed while their lapse was being handled (R17): whatever was done to them, they paid, so they get a way
    // back in: a re-entry link when they are completed (R16), else the step of the ritual they are at.
    private async Task LetBackInAsync(VipEntryLapse lapse, CancellationToken cancellationToken)
    {
        var userId = lapse.SubscriberId;
        var step = await machine.GetStepAsync(userId, _culture, cancellationToken);
        await RevokeAllAsync(step.Result.LinksToRevoke, cancellationToken);
        if (step.Result.Outcome != VipEntryOutcome.AlreadyCompleted)
        {
            if (step.Result.Outcome != VipEntryOutcome.NotEnrolled)
            {
                await transport.NotifyAsync(userId, ToMessage(step.Prompt), cancellationToken);
            }

            return;
        }

        if (!lapse.ShouldRemoveFromChannel)
        {
            // Nobody removed them: they were mid-ritual at the lapse and have completed since, through their own link.
            return;
        }

        var reentry = await machine.RequestReentryAsync(userId, cancellationToken);
        await RevokeAllAsync(reentry.LinksToRevoke, cancellationToken);
        var message = reentry.Access is { } access
            ? new RitualMessage(messages.GetNotice(VipEntryNotice.EntitledAgain, _culture), [new VipEntryButton(messages.GetStageMessage(VipEntryStage.AccessDelivery, _culture).ButtonLabel, VipEntryButtonKind.OpenLink, access.Link)])

            // No link right now (e.g. one was issued a moment ago): the completed notice, whose button asks for one.
            : ToMessage(step.Prompt);
        await transport.NotifyAsync(userId, message, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<int> ApplyChannelWorkAsync(IReadOnlyList<string> linksToRevoke, IReadOnlyList<long> removeFromChannel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linksToRevoke);
        ArgumentNullException.ThrowIfNull(removeFromChannel);
        await RevokeAllAsync(linksToRevoke, cancellationToken);
        var failed = 0;
        foreach (var id in removeFromChannel)
        {
            if (!await transport.RemoveAsync(id, cancellationToken))
            {
                failed++;
            }
        }

        return failed;
    }

    private async Task RevokeAllAsync(IReadOnlyList<string> links, CancellationToken cancellationToken)
    {
        foreach (var link in links)
        {
            await transport.RevokeLinkAsync(link, cancellationToken);
        }
    }

    private static RitualMessage ToMessage(VipEntryPrompt prompt) =>
        new(prompt.Text, prompt.Button is null ? [] : [prompt.Button]);
}
