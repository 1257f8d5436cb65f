using System.Collections.Concurrent;

namespace VipEntry.Core.Telegram.Channel;

/// <summary>
/// Intruders (people who joined the VIP chat without being entitled) whose removal failed, kept so the channel worker's
/// next cycles retry it instead of forgetting it. Telegram sends a <c>chat_member</c> update once, and the Bot API cannot
/// list a chat's members, so this process's memory is the only place that knows: it survives transient Bot API failures
/// (network, 5xx, 429 given up), not a restart — the log (event 2012) is what an admin acts on then.
/// </summary>
internal sealed class IntruderRemovals
{
    /// <summary>How many owed removals are kept at most; beyond that each failure is only logged.</summary>
    public const int Capacity = 10_000;

    /// <summary>How many cycles retry a removal before it is given up to an admin.</summary>
    public const int MaxAttempts = 20;

    private readonly ConcurrentDictionary<long, int> _owed = new();

    /// <summary>How many removals are owed now.</summary>
    public int Count => _owed.Count;

    /// <summary>Owes the removal of <paramref name="userId"/>; <see langword="false"/> when full.</summary>
    public bool Owe(long userId)
    {
        if (_owed.Count >= Capacity && !_owed.ContainsKey(userId))
        {
            return false;
        }

        _owed.TryAdd(userId, 0);
        return true;
    }

    /// <summary>The users whose removal is owed, at this moment.</summary>
    public IReadOnlyList<long> Snapshot() => [.. _owed.Keys];

    /// <summary>The removal is done, or no longer owed.</summary>
    public void Settle(long userId) => _owed.TryRemove(userId, out _);

    /// <summary>Counts a failed retry; <see langword="true"/> when the removal is given up (and no longer owed).</summary>
    public bool Failed(long userId)
    {
        var attempts = _owed.AddOrUpdate(userId, 1, (_, n) => n + 1);
        if (attempts < MaxAttempts)
        {
            return false;
        }

        _owed.TryRemove(userId, out _);
        return true;
    }
}
