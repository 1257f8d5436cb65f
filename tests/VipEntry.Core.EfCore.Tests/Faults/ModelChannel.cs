using System.Collections.Concurrent;
using VipEntry.Core.Channel;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;

namespace VipEntry.Core.EfCore.Tests.Faults;

/// <summary>
/// A model VIP chat behind the channel port (after VipEntry.Core.Tests' model): who is inside, who is banned, which links
/// are revoked. A removal that keeps someone out bans, then lifts the ban (as Telegram's ban + unban). It watches that no
/// two calls act on one person at the same time, and can run a hook while a removal is under way (a renewal racing it).
/// </summary>
public sealed class ModelChannel : IVipEntryChannel
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<long, int> _inFlight = new();
    private readonly HashSet<long> _inside = [];
    private readonly HashSet<long> _banned = [];
    private readonly HashSet<string> _revoked = new(StringComparer.Ordinal);

    /// <summary>Every call, in order ("remove 7 KeepOut", "lift 7", "revoke …", "inside? 7").</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Runs once, inside the next removal, before it takes effect.</summary>
    public Func<long, Task>? DuringNextRemoval { get; set; }

    /// <summary>Set when two calls for one person overlapped.</summary>
    public bool Overlapped { get; private set; }

    public long[] Inside
    {
        get
        {
            lock (_gate)
            {
                return [.. _inside];
            }
        }
    }

    public long[] Banned
    {
        get
        {
            lock (_gate)
            {
                return [.. _banned];
            }
        }
    }

    public bool IsIn(long personId)
    {
        lock (_gate)
        {
            return _inside.Contains(personId);
        }
    }

    public bool IsRevoked(string link)
    {
        lock (_gate)
        {
            return _revoked.Contains(link);
        }
    }

    public void Join(long personId)
    {
        lock (_gate)
        {
            if (!_banned.Contains(personId))
            {
                _inside.Add(personId);
            }
        }
    }

    public void Leave(long personId)
    {
        lock (_gate)
        {
            _inside.Remove(personId);
        }
    }

    public ValueTask<VipEntryChannelCallResult> RevokeLinkAsync(string link, CancellationToken cancellationToken)
    {
        Calls.Enqueue("revoke " + link);
        lock (_gate)
        {
            _revoked.Add(link);
        }

        return ValueTask.FromResult(VipEntryChannelCallResult.Done);
    }

    public async ValueTask<VipEntryChannelCallResult> RemoveAsync(long personId, VipEntryRemoval removal, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"remove {personId} {removal}");
        Enter(personId);
        try
        {
            if (DuringNextRemoval is { } hook)
            {
                DuringNextRemoval = null;
                await hook(personId);
            }

            lock (_gate)
            {
                _inside.Remove(personId);
                _banned.Remove(personId); // KeepOut: ban, then lift the ban; WithoutBan: never banned
                return VipEntryChannelCallResult.Done;
            }
        }
        finally
        {
            Exit(personId);
        }
    }

    public ValueTask<VipEntryChannelCallResult> LiftBanAsync(long personId, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"lift {personId}");
        Enter(personId);
        try
        {
            lock (_gate)
            {
                _banned.Remove(personId);
                return ValueTask.FromResult(VipEntryChannelCallResult.Done);
            }
        }
        finally
        {
            Exit(personId);
        }
    }

    public ValueTask<VipEntryChannelCallResult> TellAsync(long personId, VipEntryNotice notice, VipEntryPrompt message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(VipEntryChannelCallResult.Done);

    public ValueTask<VipEntryChannelCallResult> ShowStepAsync(long personId, VipEntryStep current, CancellationToken cancellationToken) =>
        ValueTask.FromResult(VipEntryChannelCallResult.Done);

    public ValueTask<bool?> IsInsideAsync(long personId, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"inside? {personId}");
        return ValueTask.FromResult<bool?>(IsIn(personId));
    }

    private void Enter(long personId)
    {
        if (_inFlight.AddOrUpdate(personId, 1, (_, n) => n + 1) > 1)
        {
            Overlapped = true;
        }
    }

    private void Exit(long personId) => _inFlight.AddOrUpdate(personId, 0, (_, n) => n - 1);
}
