namespace VipEntry.Core.Storage;

/// <summary>
/// A thread-safe, process-local <see cref="IVipEntryUpdateClaims"/> with exactly the semantics of the database stores.
/// For a host's unit tests and single-process demos; state is lost when the process ends.
/// </summary>
public sealed class InMemoryVipEntryUpdateClaims : IVipEntryUpdateClaims
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Source, long UpdateId), Claim> _claims = [];

    /// <inheritdoc />
    public ValueTask<VipEntryUpdateClaim> TryClaimAsync(string source, long updateId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        Check(source, owner);
        lock (_gate)
        {
            if (_claims.TryGetValue((source, updateId), out var c))
            {
                if (c.Done)
                {
                    return ValueTask.FromResult(VipEntryUpdateClaim.AlreadyDone);
                }

                if (c.LeaseUntil > now)
                {
                    return ValueTask.FromResult(VipEntryUpdateClaim.HeldElsewhere);
                }
            }

            _claims[(source, updateId)] = new Claim(owner, false, leaseUntil, null);
            return ValueTask.FromResult(VipEntryUpdateClaim.Claimed);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> MarkDoneAsync(string source, long updateId, string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Check(source, owner);
        lock (_gate)
        {
            if (_claims.TryGetValue((source, updateId), out var c) && !c.Done && string.Equals(c.Owner, owner, StringComparison.Ordinal))
            {
                _claims[(source, updateId)] = c with { Done = true, DoneAt = now };
                return ValueTask.FromResult(true);
            }

            return ValueTask.FromResult(false);
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseAsync(string source, long updateId, string owner, CancellationToken cancellationToken = default)
    {
        Check(source, owner);
        lock (_gate)
        {
            if (_claims.TryGetValue((source, updateId), out var c) && !c.Done && string.Equals(c.Owner, owner, StringComparison.Ordinal))
            {
                _claims[(source, updateId)] = c with { LeaseUntil = DateTimeOffset.MinValue };
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeAsync(DateTimeOffset doneBefore, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        lock (_gate)
        {
            var old = _claims.Where(p => p.Value.Done && p.Value.DoneAt < doneBefore).Take(maxCount).Select(p => p.Key).ToList();
            foreach (var key in old)
            {
                _claims.Remove(key);
            }

            return ValueTask.FromResult(old.Count);
        }
    }

    private static void Check(string source, string owner)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(source.Length, IVipEntryUpdateClaims.MaxSourceLength, nameof(source));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(owner.Length, IVipEntryUpdateClaims.MaxOwnerLength, nameof(owner));
    }

    private sealed record Claim(string Owner, bool Done, DateTimeOffset LeaseUntil, DateTimeOffset? DoneAt);
}
