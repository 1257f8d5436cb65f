using System.Collections.Concurrent;
using VipEntry.Core.Channel;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;

namespace VipEntry.Core.Tests.Support;

/// <summary>
/// A model VIP chat behind the channel port: who is inside, who is banned, which links are revoked, what was said. A
/// removal that keeps someone out bans, then lifts the ban (as Telegram's ban + unban); each step can be made to fail.
/// It also watches that no two workers act on one person at the same time.
/// </summary>
public sealed class ModelChannel : IVipEntryChannel
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<long, int> _inFlight = new();

    public HashSet<long> Inside { get; } = [];

    public HashSet<long> Banned { get; } = [];

    public HashSet<string> Revoked { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentQueue<(long PersonId, VipEntryNotice Notice, VipEntryPrompt Message)> Told { get; } = new();

    public ConcurrentQueue<(long PersonId, VipEntryStep Step)> Shown { get; } = new();

    /// <summary>Removals of these people fail before anything happens.</summary>
    public HashSet<long> FailRemoval { get; } = [];

    /// <summary>A keep-out removal bans, then fails to lift the ban.</summary>
    public bool FailUnbanAfterBan { get; set; }

    public bool FailLift { get; set; }

    public bool FailRevoke { get; set; }

    /// <summary>When set, each port call waits for it (a Bot API call waiting out 429s).</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>Set when two calls for one person overlapped.</summary>
    public bool Overlapped { get; private set; }

    public void Join(long personId)
    {
        lock (_gate)
        {
            if (!Banned.Contains(personId))
            {
                Inside.Add(personId);
            }
        }
    }

    public void Leave(long personId)
    {
        lock (_gate)
        {
            Inside.Remove(personId);
        }
    }

    public bool IsIn(long personId)
    {
        lock (_gate)
        {
            return Inside.Contains(personId);
        }
    }

    public bool IsBanned(long personId)
    {
        lock (_gate)
        {
            return Banned.Contains(personId);
        }
    }

    public async ValueTask<VipEntryChannelCallResult> RevokeLinkAsync(string link, CancellationToken cancellationToken)
    {
        Calls.Enqueue("revoke " + link);
        await HoldAsync(cancellationToken);
        lock (_gate)
        {
            if (FailRevoke)
            {
                return VipEntryChannelCallResult.Failed;
            }

            Revoked.Add(link);
            return VipEntryChannelCallResult.Done;
        }
    }

    public async ValueTask<VipEntryChannelCallResult> RemoveAsync(long personId, VipEntryRemoval removal, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"remove {personId} {removal}");
        Enter(personId);
        try
        {
            await HoldAsync(cancellationToken);
            lock (_gate)
            {
                if (FailRemoval.Contains(personId))
                {
                    return VipEntryChannelCallResult.Failed;
                }

                Inside.Remove(personId);
                if (removal == VipEntryRemoval.WithoutBan)
                {
                    Banned.Remove(personId);
                    return VipEntryChannelCallResult.Done;
                }

                Banned.Add(personId);
                if (FailUnbanAfterBan)
                {
                    return VipEntryChannelCallResult.Failed;
                }

                Banned.Remove(personId);
                return VipEntryChannelCallResult.Done;
            }
        }
        finally
        {
            Exit(personId);
        }
    }

    public async ValueTask<VipEntryChannelCallResult> LiftBanAsync(long personId, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"lift {personId}");
        Enter(personId);
        try
        {
            await HoldAsync(cancellationToken);
            lock (_gate)
            {
                if (FailLift)
                {
                    return VipEntryChannelCallResult.Failed;
                }

                Banned.Remove(personId);
                return VipEntryChannelCallResult.Done;
            }
        }
        finally
        {
            Exit(personId);
        }
    }

    public ValueTask<VipEntryChannelCallResult> TellAsync(long personId, VipEntryNotice notice, VipEntryPrompt message, CancellationToken cancellationToken)
    {
        Told.Enqueue((personId, notice, message));
        return ValueTask.FromResult(VipEntryChannelCallResult.Done);
    }

    public ValueTask<VipEntryChannelCallResult> ShowStepAsync(long personId, VipEntryStep current, CancellationToken cancellationToken)
    {
        Shown.Enqueue((personId, current));
        return ValueTask.FromResult(VipEntryChannelCallResult.Done);
    }

    public ValueTask<bool?> IsInsideAsync(long personId, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"inside? {personId}");
        return ValueTask.FromResult<bool?>(IsIn(personId));
    }

    private async Task HoldAsync(CancellationToken cancellationToken)
    {
        if (Hold is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }
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
