using Telegram.Bot;
using Telegram.Bot.Types.Payments;
using VipEntry.Core.Telegram.Transport;

namespace VipEntry.Core.Telegram.Payments;

/// <summary>The Bot API calls of the Stars seller, through <see cref="TelegramCall"/> (429 waited out, failures as data).</summary>
/// <param name="bot">The host's client.</param>
/// <param name="call">Turns failures into data.</param>
internal sealed class StarsApi(ITelegramBotClient bot, TelegramCall call)
{
    public ValueTask<TelegramCallResult<string>> CreateInvoiceLinkAsync(string title, string description, string payload, int price, CancellationToken cancellationToken) =>
        call.RunAsync(
            "createInvoiceLink",
            ct => bot.CreateInvoiceLink(
                title: title,
                description: description,
                payload: payload,
                currency: StarsOffer.Currency,
                prices: [new LabeledPrice(label: title, amount: price)],
                subscriptionPeriod: StarsOffer.PeriodSeconds,
                cancellationToken: ct),
            cancellationToken);

    // errorMessage null answers ok = true.
    public ValueTask<TelegramCallResult<bool>> AnswerPreCheckoutAsync(string queryId, string? errorMessage, CancellationToken cancellationToken) =>
        call.RunAsync(
            "answerPreCheckoutQuery",
            async ct =>
            {
                await bot.AnswerPreCheckoutQuery(preCheckoutQueryId: queryId, errorMessage: errorMessage, cancellationToken: ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    public ValueTask<TelegramCallResult<bool>> RefundAsync(long userId, string chargeId, CancellationToken cancellationToken) =>
        call.RunAsync(
            "refundStarPayment",
            async ct =>
            {
                await bot.RefundStarPayment(userId: userId, telegramPaymentChargeId: chargeId, cancellationToken: ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    public ValueTask<TelegramCallResult<bool>> EditSubscriptionAsync(long userId, string chargeId, bool isCanceled, CancellationToken cancellationToken) =>
        call.RunAsync(
            "editUserStarSubscription",
            async ct =>
            {
                await bot.EditUserStarSubscription(userId: userId, telegramPaymentChargeId: chargeId, isCanceled: isCanceled, cancellationToken: ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
}
