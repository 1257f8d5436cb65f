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
    /// <param name="user">The member; their <c>language_code</c> picks the texts' culture and is remembered for what is sent without a <see cref="User"/> (issue 15).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The step that was shown.</returns>
    ValueTask<VipEntryStep> ShowStepAsync(User user, CancellationToken cancellationToken);

    /// <summary>Sends the member their current step, as <see cref="ShowStepAsync(User, CancellationToken)"/>, to the private chat with <paramref name="subscriberId"/>.</summary>
    /// <param name="subscriberId">The member (also the id of their private chat with the bot).</param>
    /// <param name="culture">The texts' culture; <see langword="null"/> for the member's language as last seen (on any replica, before a restart), else the default.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The step that was shown.</returns>
    ValueTask<VipEntryStep> ShowStepAsync(long subscriberId, CultureInfo? culture = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a paid subscription (R1, R2), has the channel worker do at once what it owes the channel (R19: a member
    /// still inside who must walk the ritual again is removed with one <c>unbanChatMember</c> without <c>only_if_banned</c>,
    /// never banned; a ban an interrupted removal left is lifted; links of grants that no longer stand are revoked; what
    /// fails now stays owed for the worker's next cycles), then sends the member their step (stage 1 for a newcomer).
    /// </summary>
    /// <param name="user">The member; their <c>language_code</c> is remembered, as for <see cref="ShowStepAsync(User, CancellationToken)"/>.</param>
    /// <param name="subscriptionEndsAt">When the subscription ends.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The engine's activation result.</returns>
    ValueTask<VipEntryResult> ActivateAsync(User user, DateTimeOffset subscriptionEndsAt, CancellationToken cancellationToken);

    /// <summary>As <see cref="ActivateAsync(User, DateTimeOffset, CancellationToken)"/>, for a member known by id (e.g. from a payment webhook).</summary>
    /// <param name="subscriberId">The member.</param>
    /// <param name="subscriptionEndsAt">When the subscription ends.</param>
    /// <param name="culture">The texts' culture; <see langword="null"/> for the member's language as last seen (on any replica, before a restart), else the default.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The engine's activation result.</returns>
    ValueTask<VipEntryResult> ActivateAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, CultureInfo? culture = null, CancellationToken cancellationToken = default);
}
