using System.Globalization;
using Microsoft.Extensions.Logging;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Payments;
using VipEntry.Core.Messages;
using VipEntry.Core.Storage;
using VipEntry.Core.Telegram.Diagnostics;
using VipEntry.Core.Telegram.Rendering;
using VipEntry.Core.Telegram.Transport;

namespace VipEntry.Core.Telegram.Payments;

/// <summary>
/// The Stars seller's updates: the <c>pre_checkout_query</c> of a VipEntry offer (answered at once, with no store access,
/// within Telegram's 10 seconds), its <c>successful_payment</c> (recorded and applied once per charge id), and the
/// "subscribe again" button under the lapse notice. A payload that is not VipEntry's is the host's: not handled.
/// </summary>
/// <param name="offer">The current offer.</param>
/// <param name="api">Answers pre-checkout queries.</param>
/// <param name="messenger">Answers the button.</param>
/// <param name="messages">The refusal's text.</param>
/// <param name="seller">Sends the offer.</param>
/// <param name="applier">Applies payments.</param>
/// <param name="logger">The logger.</param>
internal sealed class StarsUpdateHandler(
    StarsOffer offer,
    StarsApi api,
    BotMessenger messenger,
    IVipEntryMessageProvider messages,
    IVipEntryStarsSeller seller,
    StarsPaymentApplier applier,
    ILogger<StarsUpdateHandler> logger)
{
    /// <summary>The callback data of the "subscribe again" button (not <c>vipe:</c>, which is the ritual's).</summary>
    public const string OfferCallbackData = "vipes:offer";

    public async ValueTask<bool> HandlePreCheckoutAsync(PreCheckoutQuery query, CancellationToken cancellationToken)
    {
        if (!StarsPayload.IsOurs(query.InvoicePayload))
        {
            return false;
        }

        var reason = offer.Price is { } price
            ? Check(query.InvoicePayload, query.From.Id, query.Currency, query.TotalAmount, price)
            : "nothing is sold (no StarsPrice)";
        string? error = null;
        if (reason is not null)
        {
            // Only the language the query carries: no store access before the answer.
            var culture = MemberCultures.Parse(query.From.LanguageCode) ?? CultureInfo.InvariantCulture;
            error = messages.GetNotice(VipEntryNotice.StarsCheckoutRefused, culture);
        }

        var answered = await api.AnswerPreCheckoutAsync(query.Id, error, cancellationToken).ConfigureAwait(false);
        TelegramLog.PreCheckout(logger, query.From.Id, reason is null, reason ?? "the current offer", answered.Succeeded);
        return true;
    }

    public async ValueTask<bool> HandlePaymentAsync(Message message, SuccessfulPayment paid, CancellationToken cancellationToken)
    {
        if (!StarsPayload.IsOurs(paid.InvoicePayload))
        {
            return false;
        }

        var payer = message.From?.Id ?? message.Chat.Id;
        var chargeId = paid.TelegramPaymentChargeId;
        if (string.IsNullOrEmpty(chargeId) || chargeId.Length > IVipEntryPaymentStore.MaxChargeIdLength)
        {
            TelegramLog.PaymentRefused(logger, "(none)", payer, "no usable telegram_payment_charge_id");
            return true;
        }

        // The price the invoice was made for, not the current one: renewals of a subscription bought before a price change
        // keep their price and are still applied.
        if (Check(paid.InvoicePayload, payer, paid.Currency, paid.TotalAmount, currentPrice: null) is { } reason)
        {
            TelegramLog.PaymentRefused(logger, chargeId, payer, reason);
            return true;
        }

        if (message.From is { } from)
        {
            await MemberCultures.SeenAsync(applier.Engine, from, cancellationToken).ConfigureAwait(false);
        }

        var now = applier.Now;
        var periodEnd = paid.SubscriptionExpirationDate is { } end
            ? new DateTimeOffset(DateTime.SpecifyKind(end, DateTimeKind.Utc))
            : now + StarsOffer.Period;
        var payment = new VipEntryPayment(chargeId, payer, paid.Currency, paid.TotalAmount, now, periodEnd, paid.IsRecurring, paid.IsFirstRecurring);
        await applier.ReceiveAsync(payment, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<bool> HandleOfferButtonAsync(CallbackQuery query, CancellationToken cancellationToken)
    {
        await messenger.AnswerCallbackAsync(query.Id, cancellationToken).ConfigureAwait(false);
        await seller.OfferAsync(query.From, cancellationToken).ConfigureAwait(false);
        return true;
    }

    // Why a payload of ours is refused, or null. currentPrice: the offer it must match (pre-checkout), or null for the
    // price it was made for (a payment).
    private string? Check(string payload, long payer, string currency, long amount, int? currentPrice)
    {
        if (!StarsPayload.TryRead(payload, offer.Key, out var signed))
        {
            return "the payload is altered or not signed with this bot's key";
        }

        if (signed.MemberId != payer)
        {
            return "the invoice was made for another member";
        }

        if (!string.Equals(currency, StarsOffer.Currency, StringComparison.Ordinal))
        {
            return "the currency is not XTR";
        }

        if (amount != signed.Price)
        {
            return "the amount is not the offer's price";
        }

        return currentPrice is { } price && signed.Price != price ? "the offer is not the current one" : null;
    }
}
