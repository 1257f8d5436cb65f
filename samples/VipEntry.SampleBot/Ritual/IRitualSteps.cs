using System.Globalization;
using VipEntry.Core.Results;

namespace VipEntry.SampleBot.Ritual;

/// <summary>
/// The ritual steps the commands need, done by the transport's side of the ritual: on Telegram, the
/// <c>VipEntry.Core.Telegram</c> package (which sends the prompt itself); in the terminal, <see cref="EngineRitual"/>
/// (which returns it to be drawn).
/// </summary>
public interface IRitualSteps
{
    /// <summary>The link an admin hands out for an activation code (a Telegram deep link, or the command to type).</summary>
    /// <param name="code">The code.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The link.</returns>
    ValueTask<string> FormatActivationLinkAsync(string code, CancellationToken cancellationToken);

    /// <summary>Shows the member their current step (R9), issuing the stage-3 link the first time.</summary>
    /// <param name="user">The member.</param>
    /// <param name="culture">The texts' culture.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The step's outcome, and what is left for the caller to send (nothing when the transport sent it).</returns>
    ValueTask<RitualStepShown> ShowStepAsync(RitualUser user, CultureInfo culture, CancellationToken cancellationToken);

    /// <summary>Records a paid subscription (R1, R2), does what it asks of the channel, and shows the member their step.</summary>
    /// <param name="user">The member.</param>
    /// <param name="subscriptionEndsAt">When the subscription ends.</param>
    /// <param name="culture">The texts' culture.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The engine's result, and what is left for the caller to send.</returns>
    ValueTask<RitualActivation> ActivateAsync(RitualUser user, DateTimeOffset subscriptionEndsAt, CultureInfo culture, CancellationToken cancellationToken);

    /// <summary>
    /// Has VipEntry's channel worker run a cycle soon (after <c>/revoke</c> or <c>/grant</c>), so what the engine recorded
    /// as owed (a removal, a ban to lift, links) does not wait for the interval. Nothing is lost without it: the work is
    /// in the database, and any replica's worker does it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when the cycle is done or requested.</returns>
    ValueTask SweepSoonAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Offers VIP access for Telegram Stars (issue 17): on Telegram, the package's Stars offer (an invoice button, or the
    /// member's status when they have an active subscription); in the terminal, the same offer with a simulated payment.
    /// </summary>
    /// <param name="user">The member.</param>
    /// <param name="culture">The texts' culture.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>Whether anything is sold, and what is left for the caller to send.</returns>
    ValueTask<RitualOffer> OfferAsync(RitualUser user, CultureInfo culture, CancellationToken cancellationToken);

    /// <summary>An admin's refund of the member's latest Stars payment: the subscription ends and the sweep removes them.</summary>
    /// <param name="memberId">The member.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What to tell the admin.</returns>
    ValueTask<string> RefundAsync(long memberId, CancellationToken cancellationToken);
}

/// <summary>A step that was shown.</summary>
/// <param name="Outcome">The engine's outcome (e.g. <see cref="VipEntryOutcome.NotEnrolled"/>).</param>
/// <param name="ToSend">Messages still to send, after the caller's own.</param>
public sealed record RitualStepShown(VipEntryOutcome Outcome, IReadOnlyList<RitualMessage> ToSend);

/// <summary>An activation that was recorded (or not).</summary>
/// <param name="Result">The engine's result.</param>
/// <param name="ToSend">Messages still to send, after the caller's own.</param>
public sealed record RitualActivation(VipEntryResult Result, IReadOnlyList<RitualMessage> ToSend);
