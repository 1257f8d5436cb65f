using System.Globalization;
using Telegram.Bot.Types;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Core.Channel;
using VipEntry.Core.Telegram.Payments;
using VipEntry.Core.Telegram.Rendering;

namespace VipEntry.Core.Telegram.Updates;

/// <summary>The entry point: routes the ritual's updates to their handlers and leaves every other update to the host.</summary>
/// <param name="engine">The ritual.</param>
/// <param name="callbacks">Button presses.</param>
/// <param name="joinRequests">Join requests.</param>
/// <param name="members">Chat member changes.</param>
/// <param name="worker">The channel worker, for work owed now.</param>
/// <param name="prompts">Sends steps.</param>
/// <param name="stars">The Stars seller's updates, when the host sells with Stars (<c>SellWithStars</c>).</param>
internal sealed class VipEntryTelegram(
    IVipEntryStateMachine engine,
    CallbackQueryHandler callbacks,
    JoinRequestHandler joinRequests,
    ChatMemberHandler members,
    IVipEntryChannelWorker worker,
    PromptSender prompts,
    StarsUpdateHandler? stars = null) : IVipEntryTelegram
{
    public ValueTask<bool> HandleUpdateAsync(Update update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        // Telegram.Bot leaves a required field that the JSON lacks null despite its non-nullable type: an update without
        // from, chat or the member objects cannot be attributed to anyone, and must not throw (R11). Such an update is
        // left to the host, except a VipEntry button press, which is still answered so it stops spinning.
        return update switch
        {
            { CallbackQuery: { From: not null, Data: StarsUpdateHandler.OfferCallbackData } offer } when stars is not null => stars.HandleOfferButtonAsync(offer, cancellationToken),
            { PreCheckoutQuery: { From: not null } checkout } when stars is not null => stars.HandlePreCheckoutAsync(checkout, cancellationToken),
            { Message: { SuccessfulPayment: { } paid, Chat: not null } message } when stars is not null => stars.HandlePaymentAsync(message, paid, cancellationToken),
            { CallbackQuery: { From: not null } query } => callbacks.HandleAsync(query, cancellationToken),
            { CallbackQuery: { } anonymous } => callbacks.AnswerUnattributedAsync(anonymous, cancellationToken),
            { ChatJoinRequest: { From: not null, Chat: not null } request } => joinRequests.HandleAsync(request, cancellationToken),
            { ChatMember: { Chat: not null, NewChatMember.User: not null, OldChatMember: not null } member } => members.HandleAsync(member, cancellationToken),
            _ => ValueTask.FromResult(false),
        };
    }

    public async ValueTask<VipEntryStep> ShowStepAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var culture = await MemberCultures.SeenAsync(engine, user, cancellationToken).ConfigureAwait(false);
        return await ShowStepAsync(user.Id, culture, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<VipEntryStep> ShowStepAsync(long subscriberId, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        // No culture: the one remembered for the member (their language_code seen on any replica, before a restart), else the default.
        var step = await engine.GetStepAsync(subscriberId, culture is null || string.IsNullOrEmpty(culture.Name) ? null : culture, cancellationToken).ConfigureAwait(false);
        if (step.Result.LinksToRevoke.Count > 0)
        {
            await worker.WorkOnAsync(subscriberId, cancellationToken).ConfigureAwait(false);
        }

        await prompts.SendAsync(subscriberId, subscriberId, step.Prompt, askMembership: true, cancellationToken).ConfigureAwait(false);
        return step;
    }

    public async ValueTask<VipEntryResult> ActivateAsync(User user, DateTimeOffset subscriptionEndsAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var culture = await MemberCultures.SeenAsync(engine, user, cancellationToken).ConfigureAwait(false);
        return await ActivateAsync(user.Id, subscriptionEndsAt, culture, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<VipEntryResult> ActivateAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        // The engine records what the renewal owes the channel (R19): a member still inside who must walk the ritual again
        // is removed without a ban (they pay), a ban a worker's interrupted removal left is lifted, the links of grants that
        // no longer stand are revoked. The worker does it now; should a call fail, its next cycles do, on any replica.
        var result = await engine.ActivateAsync(subscriberId, subscriptionEndsAt, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            await worker.WorkOnAsync(subscriberId, cancellationToken).ConfigureAwait(false);
        }

        if (result.Succeeded || result.Outcome == VipEntryOutcome.AtStage)
        {
            await ShowStepAsync(subscriberId, culture, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
