namespace VipEntry.Load.Workers;

/// <summary>
/// What one worker process knows of grants: the latest per owner, recent ones to forward to someone else, redeemed ones
/// to replay. In memory only: plain tokens never leave the process.
/// </summary>
public sealed class GrantBook
{
    private const int Ring = 512;
    private readonly Dictionary<long, Grant> _latest = [];
    private readonly Grant?[] _recent = new Grant?[Ring];
    private readonly Grant?[] _redeemed = new Grant?[Ring];
    private readonly Lock _gate = new();
    private int _recentNext;
    private int _redeemedNext;

    public void Minted(Grant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        lock (_gate)
        {
            _latest[grant.Owner] = grant;
            _recent[_recentNext++ % Ring] = grant;
        }
    }

    /// <summary>A recorded link shown to its owner (possibly minted by another process).</summary>
    public void Shown(long owner, string link)
    {
        lock (_gate)
        {
            if (_latest.TryGetValue(owner, out var known) && string.Equals(known.Link, link, StringComparison.Ordinal))
            {
                return;
            }

            var grant = new Grant(owner, Token: null, Hash: null, link);
            _latest[owner] = grant;
            _recent[_recentNext++ % Ring] = grant;
        }
    }

    public Grant? Latest(long owner)
    {
        lock (_gate)
        {
            return _latest.GetValueOrDefault(owner);
        }
    }

    public void Redeemed(Grant grant)
    {
        lock (_gate)
        {
            _redeemed[_redeemedNext++ % Ring] = grant;
            if (_latest.TryGetValue(grant.Owner, out var latest) && ReferenceEquals(latest, grant))
            {
                _latest.Remove(grant.Owner);
            }
        }
    }

    public Grant? AnyRecent(Random random)
    {
        lock (_gate)
        {
            return _recentNext == 0 ? null : _recent[random.Next(Math.Min(_recentNext, Ring))];
        }
    }

    public Grant? AnyRedeemed(Random random)
    {
        lock (_gate)
        {
            return _redeemedNext == 0 ? null : _redeemed[random.Next(Math.Min(_redeemedNext, Ring))];
        }
    }
}
