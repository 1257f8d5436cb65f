namespace VipEntry.Core.Storage;

/// <summary>
/// A thread-safe, process-local <see cref="IVipEntryChannelStore"/> with exactly the semantics of the database stores
/// (R19). For a host's unit tests and single-process demos; state is lost when the process ends.
/// </summary>
public sealed class InMemoryVipEntryChannelStore : IVipEntryChannelStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Chat, long PersonId), VipEntryChannelRecord> _records = [];

    /// <inheritdoc />
    public ValueTask<VipEntryChannelRecord?> FindAsync(string chat, long personId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        lock (_gate)
        {
            return ValueTask.FromResult(_records.GetValueOrDefault((chat, personId)));
        }
    }

    /// <inheritdoc />
    public ValueTask RecordInsideAsync(string chat, long personId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        lock (_gate)
        {
            var r = GetOrNew(chat, personId);
            _records[(chat, personId)] = r with { MayBeInside = true, DueAt = now, Version = r.Version + 1 };
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RecordOutsideAsync(string chat, long personId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        lock (_gate)
        {
            if (_records.TryGetValue((chat, personId), out var r))
            {
                _records[(chat, personId)] = r with { MayBeInside = false, Version = r.Version + 1 };
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask OweRevocationsAsync(string chat, long personId, IReadOnlyList<string> links, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(links);
        if (links.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            var r = GetOrNew(chat, personId);
            var merged = r.LinksToRevoke.Concat(links).Distinct(StringComparer.Ordinal).ToArray();
            _records[(chat, personId)] = r with { LinksToRevoke = merged, DueAt = now, Version = r.Version + 1 };
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask MarkDueAsync(string chat, IReadOnlyCollection<long> personIds, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(personIds);
        lock (_gate)
        {
            foreach (var id in personIds)
            {
                if (_records.TryGetValue((chat, id), out var r) && (r.MayBeInside || r.BanMayStand || r.LinksToRevoke.Count > 0))
                {
                    _records[(chat, id)] = r with { DueAt = now, Version = r.Version + 1 };
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<VipEntryChannelRecord>> ListDueAsync(string chat, DateTimeOffset now, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        lock (_gate)
        {
            IReadOnlyList<VipEntryChannelRecord> due = _records.Values
                .Where(r => r.Chat == chat && r.DueAt <= now && (r.ClaimId is null || r.LeaseUntil <= now))
                .OrderBy(r => r.DueAt)
                .ThenBy(r => r.PersonId)
                .Take(maxCount)
                .ToList();
            return ValueTask.FromResult(due);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryClaimAsync(VipEntryChannelRecord expected, string claimId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        lock (_gate)
        {
            if (!_records.TryGetValue((expected.Chat, expected.PersonId), out var r)
                || r.Version != expected.Version
                || !string.Equals(r.ClaimId, expected.ClaimId, StringComparison.Ordinal)
                || !(r.DueAt <= now)
                || (r.ClaimId is not null && !(r.LeaseUntil <= now)))
            {
                return ValueTask.FromResult(false);
            }

            _records[(r.Chat, r.PersonId)] = r with { ClaimId = claimId, LeaseUntil = leaseUntil };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryRecordBanAsync(string chat, long personId, string claimId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        lock (_gate)
        {
            if (!_records.TryGetValue((chat, personId), out var r) || !string.Equals(r.ClaimId, claimId, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(false);
            }

            _records[(chat, personId)] = r with { BanMayStand = true };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TrySettleAsync(VipEntryChannelSettlement settlement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        lock (_gate)
        {
            var key = (settlement.Chat, settlement.PersonId);
            if (!_records.TryGetValue(key, out var r)
                || r.Version != settlement.Version
                || !string.Equals(r.ClaimId, settlement.ClaimId, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(false);
            }

            _records[key] = r with
            {
                MayBeInside = settlement.MayBeInside,
                BanMayStand = settlement.BanMayStand,
                LinksToRevoke = [.. settlement.LinksToRevoke],
                DueAt = settlement.NextDueAt,
                Version = r.Version + 1,
                ClaimId = null,
                LeaseUntil = null,
            };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseAsync(string chat, long personId, string claimId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        lock (_gate)
        {
            if (_records.TryGetValue((chat, personId), out var r) && string.Equals(r.ClaimId, claimId, StringComparison.Ordinal))
            {
                _records[(chat, personId)] = r with { ClaimId = null, LeaseUntil = null };
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> RememberLanguageAsync(string chat, long personId, string language, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentException.ThrowIfNullOrEmpty(language);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(language.Length, VipEntryChannelRecord.MaxLanguageLength, nameof(language));
        lock (_gate)
        {
            var r = GetOrNew(chat, personId);
            if (string.Equals(r.Language, language, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(false);
            }

            _records[(chat, personId)] = r with { Language = language };
            return ValueTask.FromResult(true);
        }
    }

    private VipEntryChannelRecord GetOrNew(string chat, long personId) =>
        _records.TryGetValue((chat, personId), out var r) ? r : new VipEntryChannelRecord(chat, personId, false, false, [], null, 0);
}
