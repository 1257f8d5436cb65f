using System.Globalization;
using Telegram.Bot.Types;

namespace VipEntry.Core.Telegram;

/// <summary>
/// Sells VIP access with Telegram Stars subscriptions (opt-in: <c>SellWithStars</c>): an offer is a
/// <c>createInvoiceLink</c> in <c>XTR</c> with a 30-day <c>subscription_period</c> and a signed payload that names the
/// member and the offer. <see cref="IVipEntryTelegram.HandleUpdateAsync"/> then answers the offer's
/// <c>pre_checkout_query</c> and turns each of its <c>successful_payment</c>s into an activation, exactly once per
/// <c>telegram_payment_charge_id</c> across redeliveries and replicas: a member without an active subscription starts the
/// ritual (R1), a later payment renews it (R2). Scoped, like the engine.
/// </summary>
public interface IVipEntryStarsSeller
{
    /// <summary>
    /// Sends <paramref name="user"/> the offer (for <c>/buy</c>, or <c>/start</c> of someone without an active
    /// subscription): a message with a button that opens the invoice. A member with an active subscription is sent its
    /// status instead.
    /// </summary>
    /// <param name="user">The member; their <c>language_code</c> picks the texts.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was sent.</returns>
    ValueTask<VipEntryStarsOfferOutcome> OfferAsync(User user, CancellationToken cancellationToken);

    /// <summary>As <see cref="OfferAsync(User, CancellationToken)"/>, for a member known by id.</summary>
    /// <param name="memberId">The member (also the id of their private chat with the bot).</param>
    /// <param name="culture">The texts' culture; <see langword="null"/> for the member's language as last seen.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was sent.</returns>
    ValueTask<VipEntryStarsOfferOutcome> OfferAsync(long memberId, CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Refunds the member's latest Stars payment (an admin's decision): marks it refunded (so it is never applied again and
    /// its renewal is canceled, <c>editUserStarSubscription</c>, by the payments worker until Telegram confirms), calls
    /// <c>refundStarPayment</c>, ends the subscription (the channel worker removes the member, R17) and tells the member.
    /// Refunding twice is harmless: Telegram's "already refunded" counts as done, and a refund whose Bot API call failed is
    /// retried by asking again.
    /// </summary>
    /// <param name="memberId">The member.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was done.</returns>
    ValueTask<VipEntryStarsRefundOutcome> RefundLatestAsync(long memberId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The member's own "stop renewing" (<paramref name="renew"/> = <see langword="false"/>) or "renew again": one
    /// <c>editUserStarSubscription</c> on their latest payment. Access is unchanged: a member who stops renewing keeps it
    /// until the paid period ends, then the ordinary lapse removes them; re-enabled before the end, the next renewal keeps
    /// them in.
    /// </summary>
    /// <param name="memberId">The member.</param>
    /// <param name="renew">Whether the subscription renews.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was done.</returns>
    ValueTask<VipEntryStarsRenewalOutcome> SetRenewalAsync(long memberId, bool renew, CancellationToken cancellationToken = default);

    /// <summary>
    /// One pass of the payments worker (run by a hosted service with the channel worker's settings, or by the host): applies
    /// recorded payments whose holder died before applying them, and cancels the renewal of refunded subscriptions. Claimed
    /// under leases in the store: any number of replicas run it; what fails stays owed.
    /// </summary>
    /// <param name="cancellationToken">Cancels the pass.</param>
    /// <returns>What the pass did.</returns>
    ValueTask<VipEntryStarsCycleReport> RunOnceAsync(CancellationToken cancellationToken = default);
}
