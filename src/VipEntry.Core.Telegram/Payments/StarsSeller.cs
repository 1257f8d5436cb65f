using System.Globalization;
using Microsoft.Extensions.Logging;
using Telegram.Bot.Types;
using Telegram.Bot.Types.ReplyMarkups;
using VipEntry.Core.Channel;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.Core.Storage;
using VipEntry.Core.Telegram.Diagnostics;
using VipEntry.Core.Telegram.Rendering;
using VipEntry.Core.Telegram.Transport;

namespace VipEntry.Core.Telegram.Payments;

/// <summary>The <see cref="IVipEntryStarsSeller"/>: offers, refunds, renewal changes and the payments worker's pass.</summary>
/// <param name="offer">The price and the payload key.</param>
/// <param name="api">The Stars calls.</param>
/// <param name="messenger">Sends messages.</param>
/// <param name="messages">The texts.</param>
/// <param name="engine">The ritual.</param>
/// <param name="worker">The channel worker, for a refunded member's removal now.</param>
/// <param name="store">The payments.</param>
/// <param name="applier">Applies payments.</param>
/// <param name="logger">The logger.</param>
internal sealed class StarsSeller(
    StarsOffer offer,
    StarsApi api,
    BotMessenger messenger,
    IVipEntryMessageProvider messages,
    IVipEntryStateMachine engine,
    IVipEntryChannelWorker worker,
    IVipEntryPaymentStore store,
    StarsPaymentApplier applier,
    ILogger<StarsSeller> logger) : IVipEntryStarsSeller
{
    private const int Batch = 32;

    // Telegram's limits on an invoice's title and description.
    private const int MaxTitle = 32;
    private const int MaxDescription = 255;

    public async ValueTask<VipEntryStarsOfferOutcome> OfferAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var culture = await MemberCultures.SeenAsync(engine, user, cancellationToken).ConfigureAwait(false);
        return await OfferAsync(user.Id, culture, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<VipEntryStarsOfferOutcome> OfferAsync(long memberId, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        if (offer.Price is not { } price)
        {
            return VipEntryStarsOfferOutcome.NotSelling;
        }

        culture ??= await engine.GetCultureAsync(memberId, cancellationToken).ConfigureAwait(false);
        var status = await engine.GetStatusAsync(memberId, cancellationToken).ConfigureAwait(false);
        if (status is { IsActive: true, SubscriptionEndsAt: { } endsAt })
        {
            // One subscription at a time: Telegram would happily charge a member for two.
            var text = messages.GetNotice(VipEntryNotice.StarsAlreadySubscribed, culture)
                .Replace("{expires}", endsAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), StringComparison.Ordinal);
            var told = await messenger.SendAsync(memberId, text, null, cancellationToken).ConfigureAwait(false);
            return told.Succeeded ? VipEntryStarsOfferOutcome.AlreadySubscribed : VipEntryStarsOfferOutcome.Failed;
        }

        var title = Cut(messages.GetNotice(VipEntryNotice.StarsOfferTitle, culture), MaxTitle);
        var description = Cut(messages.GetNotice(VipEntryNotice.StarsOfferDescription, culture), MaxDescription);
        var payload = new StarsPayload(memberId, price).Sign(offer.Key);
        var link = await api.CreateInvoiceLinkAsync(title, description, payload, price, cancellationToken).ConfigureAwait(false);
        if (!link.Succeeded || string.IsNullOrEmpty(link.Value))
        {
            TelegramLog.OfferFailed(logger, memberId, link.Status, link.ErrorCode);
            return VipEntryStarsOfferOutcome.Failed;
        }

        var label = messages.GetNotice(VipEntryNotice.StarsOfferButton, culture).Replace("{price}", price.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var sent = await messenger.SendAsync(memberId, description, new InlineKeyboardMarkup(InlineKeyboardButton.WithUrl(text: label, url: link.Value)), cancellationToken).ConfigureAwait(false);
        if (!sent.Succeeded)
        {
            TelegramLog.OfferFailed(logger, memberId, sent.Status, sent.ErrorCode);
            return VipEntryStarsOfferOutcome.Failed;
        }

        return VipEntryStarsOfferOutcome.Sent;
    }

    public async ValueTask<VipEntryStarsRefundOutcome> RefundLatestAsync(long memberId, CancellationToken cancellationToken = default)
    {
        if (await store.FindLatestAsync(memberId, cancellationToken).ConfigureAwait(false) is not { } payment)
        {
            return VipEntryStarsRefundOutcome.NoPayment;
        }

        // Marked first: from here the payment is never applied (a redelivery, the worker) and its renewal's cancellation is
        // owed, whatever happens to the calls below. Only the first call marks it; a second one retries the calls.
        await store.MarkRefundedAsync(payment.ChargeId, applier.Now, cancellationToken).ConfigureAwait(false);
        var refund = await api.RefundAsync(memberId, payment.ChargeId, cancellationToken).ConfigureAwait(false);
        var outcome = refund switch
        {
            { Succeeded: true } => VipEntryStarsRefundOutcome.Refunded,
            _ when refund.Says("CHARGE_ALREADY_REFUNDED") => VipEntryStarsRefundOutcome.AlreadyRefunded,
            _ => VipEntryStarsRefundOutcome.Failed,
        };
        TelegramLog.Refund(logger, memberId, payment.ChargeId, outcome, refund.ErrorCode, refund.Description);
        if (outcome == VipEntryStarsRefundOutcome.Failed)
        {
            // The money was not returned: the subscription goes on until an admin's retry succeeds.
            return outcome;
        }

        // The engine records the owed removal (R17, R19); the channel worker does it now if it can, else its next cycles.
        await engine.EndSubscriptionAsync(memberId, cancellationToken).ConfigureAwait(false);
        await worker.WorkOnAsync(memberId, cancellationToken).ConfigureAwait(false);
        if (outcome == VipEntryStarsRefundOutcome.Refunded)
        {
            var culture = await engine.GetCultureAsync(memberId, cancellationToken).ConfigureAwait(false);
            await messenger.SendAsync(memberId, messages.GetNotice(VipEntryNotice.StarsRefunded, culture), null, cancellationToken).ConfigureAwait(false);
        }

        // Sooner than the worker's next pass. The refund is done whatever happens here: a failure (of the call or of the
        // store) leaves the cancellation owed, for the payments worker.
        try
        {
            await CancelOwedRenewalsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            TelegramLog.RenewalCancelDeferred(logger, ex, memberId);
        }

        return outcome;
    }

    public async ValueTask<VipEntryStarsRenewalOutcome> SetRenewalAsync(long memberId, bool renew, CancellationToken cancellationToken = default)
    {
        var payment = await store.FindLatestAsync(memberId, cancellationToken).ConfigureAwait(false);
        if (payment is not { IsRecurring: true, RefundedAt: null })
        {
            return VipEntryStarsRenewalOutcome.NoSubscription;
        }

        var edited = await api.EditSubscriptionAsync(memberId, payment.ChargeId, isCanceled: !renew, cancellationToken).ConfigureAwait(false);
        return edited.Succeeded ? VipEntryStarsRenewalOutcome.Done : VipEntryStarsRenewalOutcome.Failed;
    }

    public async ValueTask<VipEntryStarsCycleReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var owner = Guid.NewGuid().ToString("N");
        var now = applier.Now;
        var applied = 0;
        var failed = 0;
        foreach (var payment in await store.ClaimUnappliedAsync(owner, now, now + applier.Lease, Batch, cancellationToken).ConfigureAwait(false))
        {
            if (await applier.ApplyClaimedAsync(payment, owner, cancellationToken).ConfigureAwait(false))
            {
                applied++;
            }
            else
            {
                failed++;
            }
        }

        var (canceled, notCanceled) = await CancelOwedRenewalsAsync(cancellationToken).ConfigureAwait(false);
        return new VipEntryStarsCycleReport(applied, canceled, failed + notCanceled);
    }

    private async ValueTask<(int Canceled, int Failed)> CancelOwedRenewalsAsync(CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid().ToString("N");
        var now = applier.Now;
        var canceled = 0;
        var failed = 0;
        foreach (var payment in await store.ClaimOwedCancellationsAsync(owner, now, now + applier.Lease, Batch, cancellationToken).ConfigureAwait(false))
        {
            if (payment.IsRecurring)
            {
                var edited = await api.EditSubscriptionAsync(payment.PersonId, payment.ChargeId, isCanceled: true, cancellationToken).ConfigureAwait(false);
                if (edited.Status == TelegramCallStatus.Rejected)
                {
                    // 400: Telegram will not edit this subscription (it ended, or the refund closed it): it renews no more.
                    TelegramLog.RenewalCancelRejected(logger, payment.ChargeId, payment.PersonId, edited.Description);
                }
                else if (!edited.Succeeded)
                {
                    // Stays owed: handed out again when this claim's lease runs out.
                    TelegramLog.RenewalCancelFailed(logger, payment.ChargeId, payment.PersonId, edited.Status, edited.ErrorCode);
                    failed++;
                    continue;
                }
            }

            if (await store.ConfirmRenewalCanceledAsync(payment.ChargeId, owner, applier.Now, cancellationToken).ConfigureAwait(false))
            {
                canceled++;
            }
        }

        return (canceled, failed);
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
