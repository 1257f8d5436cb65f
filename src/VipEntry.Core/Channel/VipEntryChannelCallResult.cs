namespace VipEntry.Core.Channel;

/// <summary>What a call of <see cref="IVipEntryChannel"/> achieved.</summary>
public enum VipEntryChannelCallResult
{
    /// <summary>Done (or nothing was left to do).</summary>
    Done,

    /// <summary>Not done; it may work later (network, rate limit given up, a missing right of the bot). The work stays owed.</summary>
    Failed,

    /// <summary>The person cannot be reached at all (blocked the bot, never started it): final for messages.</summary>
    Unreachable,
}
