// Serves R3 (advance), R4 (skip), R5 and R7 (grants), R6 (redeem) and R8 (an ended subscription blocks every step).
using VipEntry.Core.Stages;

namespace VipEntry.Core.Storage;

public sealed partial class InMemoryVipEntryStore
{
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
}
