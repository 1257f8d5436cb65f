using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VipEntry.Core.Channel;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.Core.Options;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.SampleBot.Configuration;
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
/// <param name="payments">Where the simulated Stars payments are recorded, once per charge id, as the Telegram package records real ones.</param>
/// <param name="time">The clock.</param>
/// <param name="telegram">The Stars price (<c>Telegram__StarsPrice</c>, else a demo price).</param>
/// <param name="logger">The logger.</param>
public sealed class EngineRitual(
    IVipEntryStateMachine machine,
    IRitualTransport transport,
    IVipEntryChannelWorker worker,
    IVipEntryMessageProvider messages,
    IOptions<VipEntryOptions> options,
    IVipEntryPaymentStore payments,
    TimeProvider time,
    IOptions<TelegramOptions> telegram,
    ILogger<EngineRitual> logger) : IRitualSteps
{
    // Telegram's only subscription period.
    private static readonly TimeSpan StarsPeriod = TimeSpan.FromDays(30);

    private readonly CultureInfo _culture = CultureInfo.GetCultureInfo(options.Value.DefaultCulture);

    private int Price => telegram.Value.StarsPrice ?? TelegramOptions.TerminalDemoPrice;

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

    /// <inheritdoc />
    public async ValueTask<RitualOffer> OfferAsync(RitualUser user, CultureInfo culture, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await AlreadySubscribedAsync(user.Id, culture, cancellationToken) is { } status)
        {
            return new RitualOffer(true, [status]);
        }

        // What Telegram would show: the offer's texts and its price; the invoice is simulated by "pay".
        var offer = messages.GetNotice(VipEntryNotice.StarsOfferDescription, culture);
        var button = messages.GetNotice(VipEntryNotice.StarsOfferButton, culture).Replace("{price}", Price.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return new RitualOffer(true, [RitualMessage.Plain($"{messages.GetNotice(VipEntryNotice.StarsOfferTitle, culture)}\n{offer}\n[{button}] Type pay to pay (a simulated Telegram Stars payment).")]);
    }

    /// <summary>
    /// The terminal's simulated Stars payment: recorded in the payment store once per charge id and applied to the
    /// subscription (R1 for someone without an active one, stage 1 shown at once), as the Telegram package applies a
    /// <c>successful_payment</c>. A member with an active subscription is shown its status instead.
    /// </summary>
    /// <param name="user">Who pays.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The receipt and the member's step.</returns>
    public async Task<RitualReply> PayAsync(RitualUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var culture = RitualService.CultureOf(user.LanguageCode, _culture);
        if (await AlreadySubscribedAsync(user.Id, culture, cancellationToken) is { } status)
        {
            return new RitualReply([status]);
        }

        var now = VipEntryStateMachine.ToStorePrecision(time.GetUtcNow());
        var chargeId = "simulated-" + Guid.NewGuid().ToString("N");
        var owner = Guid.NewGuid().ToString("N");
        var payment = new VipEntryPayment(chargeId, user.Id, "XTR", Price, now, now + StarsPeriod, IsRecurring: true, IsFirstRecurring: true);
        if (await payments.TryClaimAsync(payment, owner, now, now + TimeSpan.FromMinutes(1), cancellationToken) != VipEntryPaymentClaim.Claimed)
        {
            return RitualReply.Of(messages.GetNotice(VipEntryNotice.TryAgain, culture));
        }

        RitualActivation activation;
        try
        {
            activation = await ActivateAsync(user, payment.PeriodEnd, culture, cancellationToken);
        }
        catch
        {
            await payments.ReleaseAsync(chargeId, owner, CancellationToken.None);
            throw;
        }

        await payments.MarkAppliedAsync(chargeId, owner, VipEntryStateMachine.ToStorePrecision(time.GetUtcNow()), cancellationToken);
        var receipt = RitualMessage.Plain(string.Create(CultureInfo.InvariantCulture, $"Payment received: {Price} Stars (simulated; charge {chargeId}). Subscription active until {payment.PeriodEnd.UtcDateTime:yyyy-MM-dd HH:mm} UTC, renewed every 30 days."));
        return new RitualReply([receipt, .. activation.ToSend]);
    }

    /// <inheritdoc />
    public async ValueTask<string> RefundAsync(long memberId, CancellationToken cancellationToken)
    {
        if (await payments.FindLatestAsync(memberId, cancellationToken) is not { } payment)
        {
            return $"User {memberId}: no Stars payment to refund.";
        }

        // As the Telegram package does: marked first (never applied again), the refund (simulated here), then the end of
        // the subscription, whose removal the channel worker does.
        var first = await payments.MarkRefundedAsync(payment.ChargeId, VipEntryStateMachine.ToStorePrecision(time.GetUtcNow()), cancellationToken);
        await machine.EndSubscriptionAsync(memberId, cancellationToken);
        await worker.RunOnceAsync(cancellationToken);
        return first
            ? $"User {memberId}: payment {payment.ChargeId} refunded (simulated); the subscription has ended and the member is removed from the channel."
            : $"User {memberId}: the last payment was refunded already; the subscription is ended.";
    }

    private async Task<RitualMessage?> AlreadySubscribedAsync(long memberId, CultureInfo culture, CancellationToken cancellationToken)
    {
        var status = await machine.GetStatusAsync(memberId, cancellationToken);
        return status is { IsActive: true, SubscriptionEndsAt: { } endsAt }
            ? RitualMessage.Plain(messages.GetNotice(VipEntryNotice.StarsAlreadySubscribed, culture).Replace("{expires}", endsAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), StringComparison.Ordinal))
            : null;
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
