using System.Globalization;
using VipEntry.Core.Telegram;
using VipEntry.SampleBot.Ritual;

namespace VipEntry.SampleBot.Telegram;

/// <summary>The ritual's steps on Telegram: the <c>VipEntry.Core.Telegram</c> package sends the prompts (and the Stars offer) itself.</summary>
/// <param name="vip">The package's entry point.</param>
/// <param name="identity">The bot's username, for deep links.</param>
/// <param name="sweepNow">Runs a channel-worker cycle after <c>/revoke</c> and <c>/grant</c>.</param>
/// <param name="stars">The package's Stars seller, registered only when <c>Telegram__StarsPrice</c> is set.</param>
internal sealed class TelegramRitualSteps(IVipEntryTelegram vip, BotIdentity identity, SweepNow sweepNow, IVipEntryStarsSeller? stars = null) : IRitualSteps
{
    public async ValueTask<string> FormatActivationLinkAsync(string code, CancellationToken cancellationToken) =>
        $"https://t.me/{await identity.GetUsernameAsync(cancellationToken)}?start={code}";

    public async ValueTask<RitualStepShown> ShowStepAsync(RitualUser user, CultureInfo culture, CancellationToken cancellationToken)
    {
        var step = await vip.ShowStepAsync(user.Id, culture, cancellationToken);
        return new RitualStepShown(step.Result.Outcome, []);
    }

    public async ValueTask<RitualActivation> ActivateAsync(RitualUser user, DateTimeOffset subscriptionEndsAt, CultureInfo culture, CancellationToken cancellationToken) =>
        new(await vip.ActivateAsync(user.Id, subscriptionEndsAt, culture, cancellationToken), []);

    public ValueTask SweepSoonAsync(CancellationToken cancellationToken)
    {
        sweepNow.Request();
        return ValueTask.CompletedTask;
    }

    public async ValueTask<RitualOffer> OfferAsync(RitualUser user, CultureInfo culture, CancellationToken cancellationToken)
    {
        if (stars is null)
        {
            return new RitualOffer(false, []);
        }

        // The package sends the offer (or the member's status); only a failed Bot API call leaves something to say.
        var outcome = await stars.OfferAsync(user.Id, culture, cancellationToken);
        return outcome switch
        {
            VipEntryStarsOfferOutcome.NotSelling => new RitualOffer(false, []),
            VipEntryStarsOfferOutcome.Failed => new RitualOffer(true, [RitualMessage.Plain("The offer could not be sent just now. Please send /buy again in a moment.")]),
            _ => new RitualOffer(true, []),
        };
    }

    public async ValueTask<string> RefundAsync(long memberId, CancellationToken cancellationToken)
    {
        if (stars is null)
        {
            return "This bot does not sell with Telegram Stars (Telegram__StarsPrice is not set).";
        }

        return await stars.RefundLatestAsync(memberId, cancellationToken) switch
        {
            VipEntryStarsRefundOutcome.Refunded => $"User {memberId}: last payment refunded; the subscription has ended and its renewal is canceled. The sweep removes them from the channel.",
            VipEntryStarsRefundOutcome.AlreadyRefunded => $"User {memberId}: the last payment was refunded already; the subscription is ended.",
            VipEntryStarsRefundOutcome.NoPayment => $"User {memberId}: no Stars payment to refund.",
            _ => $"User {memberId}: Telegram did not refund the payment now (the subscription goes on). Send /refund {memberId} again to retry.",
        };
    }
}
