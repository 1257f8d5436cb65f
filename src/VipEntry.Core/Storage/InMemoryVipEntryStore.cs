using VipEntry.Core.Stages;

namespace VipEntry.Core.Storage;

/// <summary>
/// A thread-safe, process-local store with exactly the semantics of the database stores.
/// Meant for a host's unit tests and for single-process demos; state is lost when the process ends.
/// </summary>
public sealed class InMemoryVipEntryStore : IVipEntryStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, VipEntryRecord> _records = [];
    private readonly Dictionary<string, long> _byHash = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byLink = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<VipEntryRecord?> FindAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_records.GetValueOrDefault(subscriberId));
        }
    }

    /// <inheritdoc />
    public ValueTask<VipEntryRecord?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        lock (_gate)
        {
            return ValueTask.FromResult(_byHash.TryGetValue(tokenHash, out var id) ? _records[id] : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<VipEntryRecord?> FindByLinkAsync(string link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        lock (_gate)
        {
            return ValueTask.FromResult(_byLink.TryGetValue(link, out var id) ? _records[id] : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryCreateAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, CancellationToken cancellationToken = default) =>
        Create(subscriberId, subscriptionEndsAt, entered: null);

    /// <inheritdoc />
    public ValueTask<bool> TryCreateAtAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Create(subscriberId, subscriptionEndsAt, now);

    /// <inheritdoc />
    public ValueTask<bool> TryRenewAsync(VipEntryRecord expected, DateTimeOffset subscriptionEndsAt, bool restart, CancellationToken cancellationToken = default) =>
        Renew(expected, subscriptionEndsAt, restart, entered: null);

    /// <inheritdoc />
    public ValueTask<bool> TryRenewAtAsync(VipEntryRecord expected, DateTimeOffset subscriptionEndsAt, bool restart, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Renew(expected, subscriptionEndsAt, restart, now);

    private ValueTask<bool> Create(long subscriberId, DateTimeOffset subscriptionEndsAt, DateTimeOffset? entered)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_records.TryAdd(
                subscriberId,
                new VipEntryRecord(subscriberId, VipEntryStage.ActivationConfirmation, subscriptionEndsAt, null, null, null, null) { StageEnteredAt = entered }));
        }
    }

    private ValueTask<bool> Renew(VipEntryRecord expected, DateTimeOffset subscriptionEndsAt, bool restart, DateTimeOffset? entered)
    {
        ArgumentNullException.ThrowIfNull(expected);
        lock (_gate)
        {
            if (!_records.TryGetValue(expected.SubscriberId, out var r)
                || r.Stage != expected.Stage
                || !string.Equals(r.GrantTokenHash, expected.GrantTokenHash, StringComparison.Ordinal)
                || !string.Equals(r.GrantLink, expected.GrantLink, StringComparison.Ordinal)
                || r.LapseHandledAt != expected.LapseHandledAt
                || !string.Equals(r.LapseClaimId, expected.LapseClaimId, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(false);
            }

            var next = ClearLapse(r) with { SubscriptionEndsAt = subscriptionEndsAt };
            if (restart)
            {
                next = ClearGrant(next) with { Stage = VipEntryStage.ActivationConfirmation, StageEnteredAt = entered, StageNudgedAt = null };
            }

            Replace(r, next);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryAdvanceAsync(long subscriberId, VipEntryStage from, VipEntryStage target, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_records.TryGetValue(subscriberId, out var r) || r.Stage != from || !r.IsActiveAt(now))
            {
                return ValueTask.FromResult(false);
            }

            Replace(r, r with { Stage = target, StageEnteredAt = now, StageNudgedAt = null });
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryIssueGrantAsync(long subscriberId, VipEntryStage stage, string? expectedTokenHash, string newTokenHash, DateTimeOffset now, DateTimeOffset replaceIssuedAtOrBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newTokenHash);
        lock (_gate)
        {
            if (stage is not (VipEntryStage.AccessDelivery or VipEntryStage.Completed)
                || !_records.TryGetValue(subscriberId, out var r)
                || r.Stage != stage
                || !r.IsActiveAt(now)
                || !string.Equals(r.GrantTokenHash, expectedTokenHash, StringComparison.Ordinal)
                || (expectedTokenHash is not null && r.GrantIssuedAt is { } issued && issued > replaceIssuedAtOrBefore)
                || _byHash.ContainsKey(newTokenHash))
            {
                return ValueTask.FromResult(false);
            }

            Replace(r, r with { GrantTokenHash = newTokenHash, GrantIssuedAt = now, GrantLink = null, GrantNudgedAt = null });
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryRecordLinkAsync(long subscriberId, string tokenHash, string link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        ArgumentNullException.ThrowIfNull(link);
        lock (_gate)
        {
            if (!_records.TryGetValue(subscriberId, out var r)
                || !string.Equals(r.GrantTokenHash, tokenHash, StringComparison.Ordinal)
                || r.GrantLink is not null
                || _byLink.ContainsKey(link))
            {
                return ValueTask.FromResult(false);
            }

            Replace(r, r with { GrantLink = link });
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryWithdrawGrantAsync(long subscriberId, string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        lock (_gate)
        {
            if (!_records.TryGetValue(subscriberId, out var r)
                || !string.Equals(r.GrantTokenHash, tokenHash, StringComparison.Ordinal)
                || r.GrantLink is not null)
            {
                return ValueTask.FromResult(false);
            }

            Replace(r, ClearGrant(r));
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryRedeemAsync(long subscriberId, VipEntryStage from, string tokenHash, DateTimeOffset now, DateTimeOffset issuedAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        lock (_gate)
        {
            if (from is not (VipEntryStage.AccessDelivery or VipEntryStage.Completed)
                || !_records.TryGetValue(subscriberId, out var r)
                || r.Stage != from
                || !string.Equals(r.GrantTokenHash, tokenHash, StringComparison.Ordinal)
                || !(r.GrantIssuedAt > issuedAfter)
                || !r.IsActiveAt(now))
            {
                return ValueTask.FromResult(false);
            }

            Replace(r, ClearGrant(r) with { Stage = VipEntryStage.Completed, StageEnteredAt = null, StageNudgedAt = null });
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TrySkipAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        lock (_gate)
        {
            if (!_records.TryGetValue(expected.SubscriberId, out var r)
                || r.Stage != expected.Stage
                || !string.Equals(r.GrantTokenHash, expected.GrantTokenHash, StringComparison.Ordinal)
                || !string.Equals(r.GrantLink, expected.GrantLink, StringComparison.Ordinal)
                || !r.IsActiveAt(now))
            {
                return ValueTask.FromResult(false);
            }

            Replace(r, ClearGrant(r) with { Stage = VipEntryStage.Completed, StageEnteredAt = null, StageNudgedAt = null });
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VipEntryRecord>> ListClaimableLapsesAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        lock (_gate)
        {
            IReadOnlyList<VipEntryRecord> batch = _records.Values
                .Where(r => IsClaimable(r, now))
                .OrderBy(r => r.SubscriptionEndsAt)
                .ThenBy(r => r.SubscriberId)
                .Take(maxCount)
                .ToList();
            return ValueTask.FromResult(batch);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryClaimLapseAsync(VipEntryRecord expected, string claimId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        lock (_gate)
        {
            if (!_records.TryGetValue(expected.SubscriberId, out var r)
                || !IsClaimable(r, now)
                || r.Stage != expected.Stage
                || !string.Equals(r.GrantTokenHash, expected.GrantTokenHash, StringComparison.Ordinal)
                || !string.Equals(r.GrantLink, expected.GrantLink, StringComparison.Ordinal)
                || !string.Equals(r.LapseClaimId, expected.LapseClaimId, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(false);
            }

            // The first claim moves the grant's link to the lapse; a re-claim keeps the link the first one moved.
            var link = r.LapseClaimId is null ? r.GrantLink : r.LapseLink;
            Replace(r, ClearGrant(r) with { LapseClaimId = claimId, LapseLeaseUntil = leaseUntil, LapseLink = link });
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryConfirmLapseAsync(long subscriberId, string claimId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        lock (_gate)
        {
            if (!_records.TryGetValue(subscriberId, out var r)
                || r.LapseHandledAt is not null
                || !string.Equals(r.LapseClaimId, claimId, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(false);
            }

            Replace(r, ClearLapse(r) with { LapseHandledAt = now });
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VipEntryRecord>> ListIdleAsync(DateTimeOffset now, DateTimeOffset enteredAtOrBefore, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        lock (_gate)
        {
            IReadOnlyList<VipEntryRecord> batch = _records.Values
                .Where(r => r.Stage is VipEntryStage.ActivationConfirmation or VipEntryStage.ExpectationAlignment or VipEntryStage.AccessDelivery
                    && r.IsActiveAt(now)
                    && r.StageNudgedAt is null
                    && (r.StageEnteredAt is null || r.StageEnteredAt <= enteredAtOrBefore))
                .OrderBy(r => r.StageEnteredAt is not null)
                .ThenBy(r => r.StageEnteredAt)
                .ThenBy(r => r.SubscriberId)
                .Take(maxCount)
                .ToList();
            return ValueTask.FromResult(batch);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryClaimIdleNudgeAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        lock (_gate)
        {
            if (!_records.TryGetValue(expected.SubscriberId, out var r)
                || r.Stage != expected.Stage
                || r.Stage == VipEntryStage.Completed
                || r.StageEnteredAt != expected.StageEnteredAt
                || r.StageNudgedAt is not null
                || !r.IsActiveAt(now))
            {
                return ValueTask.FromResult(false);
            }

            if (r.StageEnteredAt is null)
            {
                Replace(r, r with { StageEnteredAt = now });
                return ValueTask.FromResult(false);
            }

            Replace(r, r with { StageNudgedAt = now });
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VipEntryRecord>> ListExpiringGrantsAsync(DateTimeOffset now, DateTimeOffset issuedAfter, DateTimeOffset issuedAtOrBefore, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        lock (_gate)
        {
            IReadOnlyList<VipEntryRecord> batch = _records.Values
                .Where(r => r.GrantTokenHash is not null
                    && r.GrantIssuedAt > issuedAfter
                    && r.GrantIssuedAt <= issuedAtOrBefore
                    && r.GrantNudgedAt is null
                    && r.IsActiveAt(now))
                .OrderBy(r => r.GrantIssuedAt)
                .ThenBy(r => r.SubscriberId)
                .Take(maxCount)
                .ToList();
            return ValueTask.FromResult(batch);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryClaimGrantNudgeAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        lock (_gate)
        {
            if (expected.GrantTokenHash is null
                || !_records.TryGetValue(expected.SubscriberId, out var r)
                || !string.Equals(r.GrantTokenHash, expected.GrantTokenHash, StringComparison.Ordinal)
                || r.GrantNudgedAt is not null
                || !r.IsActiveAt(now))
            {
                return ValueTask.FromResult(false);
            }

            Replace(r, r with { GrantNudgedAt = now });
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<VipEntryStage, int>> CountByStageAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<VipEntryStage, int> counts = _records.Values
                .Where(r => r.IsActiveAt(now))
                .GroupBy(r => r.Stage)
                .ToDictionary(g => g.Key, g => g.Count());
            return ValueTask.FromResult(counts);
        }
    }

    private static bool IsClaimable(VipEntryRecord r, DateTimeOffset now) =>
        r.SubscriptionEndsAt <= now && r.LapseHandledAt is null && (r.LapseClaimId is null || r.LapseLeaseUntil <= now);

    private static VipEntryRecord ClearLapse(VipEntryRecord r) =>
        r with { LapseHandledAt = null, LapseClaimId = null, LapseLeaseUntil = null, LapseLink = null };

    private static VipEntryRecord ClearGrant(VipEntryRecord r) =>
        r with { GrantTokenHash = null, GrantIssuedAt = null, GrantLink = null, GrantNudgedAt = null };

    // Caller holds _gate. Keeps the unique hash and link indexes in step with the record.
    private void Replace(VipEntryRecord old, VipEntryRecord next)
    {
        if (old.GrantTokenHash is { } oldHash)
        {
            _byHash.Remove(oldHash);
        }

        if (old.GrantLink is { } oldLink)
        {
            _byLink.Remove(oldLink);
        }

        if (next.GrantTokenHash is { } hash)
        {
            _byHash[hash] = next.SubscriberId;
        }

        if (next.GrantLink is { } link)
        {
            _byLink[link] = next.SubscriberId;
        }

        _records[next.SubscriberId] = next;
    }
}
