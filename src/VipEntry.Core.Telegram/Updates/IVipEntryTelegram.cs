using System.Globalization;
using Telegram.Bot.Types;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;

namespace VipEntry.Core.Telegram;

/// <summary>
/// The Telegram side of the VIP entry ritual, for a host's own Telegram.Bot bot. It never owns the update loop: the host
/// passes each <see cref="Update"/> to <see cref="HandleUpdateAsync"/> first (from long polling or a webhook) and handles
/// whatever it returns <see langword="false"/> for. Commands stay the host's; <see cref="ShowStepAsync(User, CancellationToken)"/>
/// and <see cref="ActivateAsync(User, DateTimeOffset, CancellationToken)"/> are the ritual's part of them.
/// Scoped, like the engine: resolve it from the scope of the update.
/// </summary>
public interface IVipEntryTelegram
{
    /// <summary>
    /// Handles the update when it is the ritual's: a callback query whose data is VipEntry's (<c>vipe:</c>; always answered,
    /// garbage too), a <c>chat_join_request</c> or a <c>chat_member</c> update of the VIP chat. Bot API failures are handled
    /// here (logged, retried after 429); only the store's failures and cancellation propagate.
    /// </summary>
    /// <param name="update">The update, as Telegram sent it.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns><see langword="true"/> when the update was the ritual's and has been handled; <see langword="false"/> when it is the host's.</returns>
    ValueTask<bool> HandleUpdateAsync(Update update, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends the member their current step (R9) in the private chat: a stage prompt with its button, the access link at
    /// stage 3 (issued the first time), or a notice. The completed notice's re-entry button (R16) is shown only when
    /// <c>getChatMember</c> says the member is not inside the VIP chat (or cannot tell). For a <c>/start</c> or <c>/status</c> command.
    /// </summary>
    /// <param name="user">The member; their <c>language_code</c> picks the texts' culture.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The step that was shown.</returns>
    ValueTask<VipEntryStep> ShowStepAsync(User user, CancellationToken cancellationToken);

    /// <summary>Sends the member their current step, as <see cref="ShowStepAsync(User, CancellationToken)"/>, to the private chat with <paramref name="subscriberId"/>.</summary>
    /// <param name="subscriberId">The member (also the id of their private chat with the bot).</param>
    /// <param name="culture">The texts' culture; <see langword="null"/> for the default.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The step that was shown.</returns>
    ValueTask<VipEntryStep> ShowStepAsync(long subscriberId, CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a paid subscription (R1, R2) and does what it asks of Telegram: removes a member who must walk the ritual
    /// again (<see cref="VipEntryResult.RemoveFromChannel"/>: one <c>unbanChatMember</c> without <c>only_if_banned</c>, which removes
    /// without ever banning a paying member; a ban a worker's interrupted removal left is lifted), revokes
    /// <see cref="VipEntryResult.LinksToRevoke"/>, then sends the member their step (stage 1 for a newcomer).
    /// </summary>
    /// <param name="user">The member.</param>
    /// <param name="subscriptionEndsAt">When the subscription ends.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The engine's activation result.</returns>
    ValueTask<VipEntryResult> ActivateAsync(User user, DateTimeOffset subscriptionEndsAt, CancellationToken cancellationToken);

    /// <summary>As <see cref="ActivateAsync(User, DateTimeOffset, CancellationToken)"/>, for a member known by id (e.g. from a payment webhook).</summary>
    /// <param name="subscriberId">The member.</param>
    /// <param name="subscriptionEndsAt">When the subscription ends.</param>
    /// <param name="culture">The texts' culture; <see langword="null"/> for the default.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The engine's activation result.</returns>
    ValueTask<VipEntryResult> ActivateAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs one cycle of the channel worker (R8, R17): sweeps lapsed subscriptions while there are more and, for each lapse
    /// this process claimed, revokes its link, removes the member (ban, then unban only if banned), tells them why, and
    /// confirms; a member who renewed meanwhile is let back in. Work that fails is not confirmed and is handed out again
    /// after its lease. The hosted worker calls this every <see cref="VipEntryTelegramOptions.SweepInterval"/>; call it
    /// yourself when <see cref="VipEntryTelegramOptions.RunChannelWorker"/> is <see langword="false"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many lapses were handled and confirmed in this cycle.</returns>
    ValueTask<int> HandleLapsesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends the opt-in reminders (R18) that are due now — members idle at a stage, unused links about to expire — each
    /// once across every replica; what the hosted channel worker does after <see cref="HandleLapsesAsync"/>. Nothing
    /// happens unless <c>VipEntryOptions.NudgeIdleAfter</c> or <c>NudgeBeforeExpiry</c> is set.
    /// </summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many reminders were sent.</returns>
    ValueTask<int> SendNudgesAsync(CancellationToken cancellationToken = default);
}
