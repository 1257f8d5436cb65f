// Rules: R8, R17 — lapses: claimable lapses, claim, confirm.
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore;

internal sealed partial class EfCoreVipEntryStore<TContext, TEntity>
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<VipEntryRecord>> ListClaimableLapsesAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var rows = await Project(ClaimableLapses(now).Take(maxCount)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToRecord());
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryClaimLapseAsync(VipEntryRecord expected, string claimId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        var claim = expected.LapseClaimId;

        // The first claim moves the grant's link to the lapse; a re-claim keeps the link the first one moved. Both are
        // known from the read, which the condition pins (grant, link and claim as read).
        var lapseLink = claim is null ? expected.GrantLink : expected.LapseLink;
        if (_statements is not null)
        {
            return await ClaimLapseStatementAsync(expected, claimId, lapseLink, now, leaseUntil, cancellationToken).ConfigureAwait(false) == 1;
        }


        // No equality on the end time: a host may have written it in another text form (SQLite); "still ended, same
        // stage, grant, link and claim, claimable now" is the whole condition, and a renewal in between moves the end.
        var changed = await AsRead(expected)
            .Where(e => EF.Property<string?>(e, Claim) == claim)
            .Where(Claimable(now))
            .ExecuteUpdateAsync(
                s =>
                {
                    s.SetProperty(e => EF.Property<string?>(e, Claim), claimId)
                     .SetProperty(e => EF.Property<DateTimeOffset?>(e, Lease), leaseUntil)
                     .SetProperty(e => EF.Property<string?>(e, LapseLink), lapseLink);
                    ClearGrant(s);
                },
                cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<VipEntryRecord>> ClaimLapsesAsync(string claimId, string reclaimId, DateTimeOffset now, DateTimeOffset leaseUntil, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        ArgumentException.ThrowIfNullOrEmpty(reclaimId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (string.Equals(claimId, reclaimId, StringComparison.Ordinal))
        {
            throw new ArgumentException("The reclaim id must differ from the claim id.", nameof(reclaimId));
        }

        if (CanRunBulk)
        {
            // One UPDATE … RETURNING per batch (SQLite, PostgreSQL): one commit instead of one per row.
            var rows = await ClaimLapsesStatementAsync(claimId, reclaimId, now, leaseUntil, maxCount, cancellationToken).ConfigureAwait(false);
            rows.Sort(static (a, b) => a.SubscriptionEndsAt != b.SubscriptionEndsAt
                ? a.SubscriptionEndsAt.CompareTo(b.SubscriptionEndsAt)
                : a.SubscriberId.CompareTo(b.SubscriberId));
            return rows.ConvertAll(r => r.ToRecord());
        }

        // Other providers: a compare-and-set per candidate, each re-checked on its row.
        var candidates = await ListClaimableLapsesAsync(now, maxCount, cancellationToken).ConfigureAwait(false);
        var claimed = new List<VipEntryRecord>(candidates.Count);
        foreach (var c in candidates)
        {
            var first = c.LapseClaimId is null;
            var id = first ? claimId : reclaimId;
            if (await TryClaimLapseAsync(c, id, now, leaseUntil, cancellationToken).ConfigureAwait(false))
            {
                claimed.Add(c with
                {
                    GrantTokenHash = null,
                    GrantIssuedAt = null,
                    GrantLink = null,
                    GrantNudgedAt = null,
                    LapseClaimId = id,
                    LapseLeaseUntil = leaseUntil,
                    LapseLink = first ? c.GrantLink : c.LapseLink,
                });
            }
        }

        return claimed;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryConfirmLapseAsync(long subscriberId, string claimId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        if (_statements is not null)
        {
            return await ConfirmLapseStatementAsync(subscriberId, claimId, now, cancellationToken).ConfigureAwait(false) == 1;
        }

        var changed = await Row(subscriberId)
            .Where(e => EF.Property<string?>(e, Claim) == claimId && EF.Property<DateTimeOffset?>(e, Lapse) == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(e => EF.Property<DateTimeOffset?>(e, Lapse), now)
                      .SetProperty(e => EF.Property<string?>(e, Claim), (string?)null)
                      .SetProperty(e => EF.Property<DateTimeOffset?>(e, Lease), (DateTimeOffset?)null)
                      .SetProperty(e => EF.Property<string?>(e, LapseLink), (string?)null),
                cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <summary>The sweep's candidates, oldest end first (the query the store runs, for plan checks).</summary>
    internal IQueryable<TEntity> ClaimableLapses(DateTimeOffset now)
    {
        var end = _end;
        var id = _id;
        return Rows
            .Where(Claimable(now))
            .OrderBy(e => EF.Property<DateTimeOffset>(e, end))
            .ThenBy(e => EF.Property<long>(e, id));
    }

    // Ended, not confirmed, and unclaimed or with a lease that ran out (R17).
    private System.Linq.Expressions.Expression<Func<TEntity, bool>> Claimable(DateTimeOffset now)
    {
        var end = _end;
        return e => EF.Property<DateTimeOffset?>(e, Lapse) == null
            && EF.Property<DateTimeOffset>(e, end) <= now
            && (EF.Property<string?>(e, Claim) == null || EF.Property<DateTimeOffset?>(e, Lease) <= now);
    }
}
