namespace VipEntry.SampleBot.Ritual;

/// <summary>
/// What the terminal's ritual needs from its transport besides replying: the answer to a join request (admit, refuse).
/// The channel's door (remove, lift a ban, revoke a link) is VipEntry's channel port, driven by VipEntry's one channel
/// worker. Every method reports failure with <see langword="false"/> rather than throwing.
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

    /// <summary>The member leaves the VIP channel (the terminal simulates it; on Telegram it is a <c>chat_member</c> update).</summary>
    /// <param name="userId">The member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether they were inside.</returns>
    ValueTask<bool> LeaveAsync(long userId, CancellationToken cancellationToken);
}
