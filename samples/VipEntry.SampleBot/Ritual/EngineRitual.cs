using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VipEntry.Core.Channel;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.Core.Options;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.SampleBot.Diagnostics;

namespace VipEntry.SampleBot.Ritual;

/// <summary>
/// The ritual straight on the engine, for a transport without a VipEntry integration package (the terminal): button
/// presses and join requests, answered with transport-neutral <see cref="RitualReply"/> values. Everything the ritual owes
/// the channel (removals, bans lifted, links revoked, lapses) is done by VipEntry's one channel worker over the
/// terminal's port (<c>TerminalChannel</c>), exactly as on Telegram: this class only calls the engine.
/// </summary>
/// <param name="machine">The VipEntry engine: the only way this service reads or changes ritual state.</param>
/// <param name="transport">The answer to a join request.</param>
/// <param name="worker">VipEntry's channel worker, to do owed work now rather than at its next cycle.</param>
/// <param name="messages">The library's texts.</param>
/// <param name="options">The library's options: the texts' culture is <c>VipEntry__DefaultCulture</c> (en or es built in).</param>
/// <param name="logger">The logger.</param>
public sealed class EngineRitual(
    IVipEntryStateMachine machine,
    IRitualTransport transport,
    IVipEntryChannelWorker worker,
    IVipEntryMessageProvider messages,
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
        await WorkOwedAsync(user.Id, step.Result, cancellationToken);
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

        // What the renewal owes the channel (a member still inside who walks the ritual again, a ban to lift, links) was
        // recorded by the engine (R19); the worker does it now, and its next cycles should a call fail.
        await worker.WorkOnAsync(user.Id, cancellationToken);
        var next = await ShowStepAsync(user, culture, cancellationToken);
        return new RitualActivation(result, next.ToSend);
    }

    /// <inheritdoc />
    public async ValueTask SweepSoonAsync(CancellationToken cancellationToken) =>
        await worker.RunOnceAsync(cancellationToken);

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
        await WorkOwedAsync(user.Id, step.Result, cancellationToken);
        return step.Result.Outcome switch
        {
            VipEntryOutcome.InvalidInput => new RitualReply([], "This button is not valid."),
            // A stale or replayed press shows nothing new: what it would show is on screen already (issue 15).
            VipEntryOutcome.StaleStage => new RitualReply([], "Already done. Send /start to see where you are."),
            VipEntryOutcome.AccessShown when IsLinkPress(callbackData) => new RitualReply([], "Your link is already above."),
            _ => new RitualReply([ToMessage(step.Prompt)]),
        };
    }

    private static bool IsLinkPress(string callbackData) =>
        VipEntryCallbackData.TryDecode(callbackData, out var callback)
        && callback.Action is VipEntryCallbackAction.RequestNewLink or VipEntryCallbackAction.RequestReentry;

    /// <summary>
    /// The member leaves the VIP channel: reported to the engine as a fact (R19), so that a completed member can then ask
    /// for a re-entry link (R16), which the engine mints only for someone the transport reports outside.
    /// </summary>
    /// <param name="userId">Who leaves.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What to tell them.</returns>
    public async Task<RitualReply> HandleLeaveAsync(long userId, CancellationToken cancellationToken)
    {
        if (!await transport.LeaveAsync(userId, cancellationToken))
        {
            return RitualReply.Of("You are not inside the VIP channel.");
        }

        await machine.ReportOutsideAsync(userId, cancellationToken);
        return RitualReply.Of("You left the VIP channel. Send /start to see how to come back.");
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

            // The grant is spent whether or not the approval worked: nobody can redeem the link again, so it goes (the
            // engine owes its revocation, R19). A member whose approval failed is completed now and gets back in with a
            // re-entry link (R16), offered below.
            await worker.WorkOnAsync(userId, cancellationToken);
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

    // The links a step reports are owed revocations in the store (R19); the worker revokes them now rather than at its
    // next cycle.
    private async Task WorkOwedAsync(long userId, VipEntryResult result, CancellationToken cancellationToken)
    {
        if (result.LinksToRevoke.Count > 0)
        {
            await worker.WorkOnAsync(userId, cancellationToken);
        }
    }

    private static RitualMessage ToMessage(VipEntryPrompt prompt) =>
        new(prompt.Text, prompt.Button is null ? [] : [prompt.Button]);
}
