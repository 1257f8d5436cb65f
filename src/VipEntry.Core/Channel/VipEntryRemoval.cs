namespace VipEntry.Core.Channel;

/// <summary>How <see cref="IVipEntryChannel.RemoveAsync"/> removes someone.</summary>
public enum VipEntryRemoval
{
    /// <summary>
    /// Someone not paying (a lapse, an intruder): remove them however the transport keeps people out (Telegram: ban,
    /// then lift the ban only if banned, so that a later payment can bring them back).
    /// </summary>
    KeepOut,

    /// <summary>Someone who is paying but not entitled yet (a renewal restarted their ritual): remove them without ever banning.</summary>
    WithoutBan,
}
