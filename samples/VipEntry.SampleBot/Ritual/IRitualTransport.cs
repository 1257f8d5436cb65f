namespace VipEntry.SampleBot.Ritual;

/// <summary>
/// What the ritual needs from a transport besides replying: the channel's door (admit, refuse, remove,
/// revoke a link) and unprompted messages. Every method reports failure with <see langword="false"/>
/// rather than throwing, so one member's error never stops the bot.
/// </summary>
public interface IRitualTransport
{
    /// <summary>The link an admin hands out for an activation code (a Telegram deep link, or the command to type).</summary>
    /// <param name="code">The code.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The link.</returns>
    ValueTask<string> FormatActivationLinkAsync(string code, CancellationToken cancellationToken);

    /// <summary>Lets the member into the VIP channel (approves the join request).</summary>
    /// <param name="userId">The member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it worked.</returns>
    ValueTask<bool> AdmitAsync(long userId, CancellationToken cancellationToken);

    /// <summary>Turns someone away from the channel (declines the join request).</summary>
    /// <param name="userId">Who asked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it worked.</returns>
    ValueTask<bool> RefuseAsync(long userId, CancellationToken cancellationToken);

    /// <summary>Removes a member from the channel without a lasting ban.</summary>
    /// <param name="userId">The member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it worked.</returns>
    ValueTask<bool> RemoveAsync(long userId, CancellationToken cancellationToken);

    /// <summary>Revokes a recorded invite link.</summary>
    /// <param name="link">The link.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it worked.</returns>
    ValueTask<bool> RevokeLinkAsync(string link, CancellationToken cancellationToken);

    /// <summary>Sends a message the user did not ask for (e.g. why they were removed).</summary>
    /// <param name="userId">The user.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it worked.</returns>
    ValueTask<bool> NotifyAsync(long userId, RitualMessage message, CancellationToken cancellationToken);
}
