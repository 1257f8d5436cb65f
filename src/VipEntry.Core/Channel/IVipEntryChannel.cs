using VipEntry.Core.Engine;
using VipEntry.Core.Messages;

namespace VipEntry.Core.Channel;

/// <summary>
/// The port a transport implements so that VipEntry's one channel worker can keep the VIP chat right (R16–R19): revoke a
/// link, remove a person, lift a ban, tell a person something, show a person their step, and say whether someone is
/// inside. Telegram is one implementation (<c>VipEntry.Core.Telegram</c>); a Discord bot would map remove/lift onto roles.
/// The worker records what it asked for before and after each call, so an implementation only does the call and says
/// honestly whether it is done: a failure that may pass is <see cref="VipEntryChannelCallResult.Failed"/> (the work stays
/// owed and is handed out again), never <see cref="VipEntryChannelCallResult.Done"/>. Implementations must not throw for
/// transport failures. Registered with <c>VipEntryBuilder.UseChannel&lt;T&gt;()</c>; scoped by default.
/// </summary>
public interface IVipEntryChannel
{
    /// <summary>Revokes a transport link so nobody can use it again. A link the transport says is already gone is done.</summary>
    /// <param name="link">The link, as the link issuer recorded it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the link is revoked.</returns>
    ValueTask<VipEntryChannelCallResult> RevokeLinkAsync(string link, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a person from the chat. <see cref="VipEntryRemoval.KeepOut"/> may place a ban on the way (the worker has
    /// recorded beforehand that a ban may stand) and must end without one when done; <see cref="VipEntryRemoval.WithoutBan"/>
    /// is for someone who is paying and must never be banned. Someone who is not inside, or whom the transport cannot act
    /// on for good (the chat's owner or an administrator), counts as done; a missing right of the bot does not.
    /// </summary>
    /// <param name="personId">The person.</param>
    /// <param name="removal">How.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the person is outside, with no ban left by this call.</returns>
    ValueTask<VipEntryChannelCallResult> RemoveAsync(long personId, VipEntryRemoval removal, CancellationToken cancellationToken);

    /// <summary>Lifts a ban VipEntry may have left, without removing the person if they are inside.</summary>
    /// <param name="personId">The person.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether no ban stands.</returns>
    ValueTask<VipEntryChannelCallResult> LiftBanAsync(long personId, CancellationToken cancellationToken);

    /// <summary>Tells a person a notice (why they were removed, that they may come back), with its button if any.</summary>
    /// <param name="personId">The person.</param>
    /// <param name="notice">Which notice it is.</param>
    /// <param name="message">The rendered text and button.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see cref="VipEntryChannelCallResult.Unreachable"/> when the person cannot be told (blocked the bot).</returns>
    ValueTask<VipEntryChannelCallResult> TellAsync(long personId, VipEntryNotice notice, VipEntryPrompt message, CancellationToken cancellationToken);

    /// <summary>Shows a person their current step (R9), as the engine built it.</summary>
    /// <param name="personId">The person.</param>
    /// <param name="current">The step and its prompt.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it was shown.</returns>
    ValueTask<VipEntryChannelCallResult> ShowStepAsync(long personId, VipEntryStep current, CancellationToken cancellationToken);

    /// <summary>Whether the person is inside the chat, where the transport can tell (Telegram: <c>getChatMember</c>).</summary>
    /// <param name="personId">The person.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> inside, <see langword="false"/> outside, <see langword="null"/> when the transport cannot tell now.</returns>
    ValueTask<bool?> IsInsideAsync(long personId, CancellationToken cancellationToken);
}
