using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore;

/// <summary>
/// The EF Core store. Every <c>Try…</c> is one SQL statement: an <c>UPDATE … WHERE</c> (via <c>ExecuteUpdate</c>) whose
/// condition carries the expected state and the <c>now</c> comparisons, true only when exactly one row changed; the
/// create is one <c>INSERT</c>. The host's change tracker is never used, so pending host changes are never saved by it.
/// </summary>
/// <typeparam name="TContext">The host's context.</typeparam>
/// <typeparam name="TEntity">The entity that carries the ritual.</typeparam>
internal sealed class EfCoreVipEntryStore<TContext, TEntity> : IVipEntryStore
    where TContext : DbContext
    where TEntity : class
{
    private const string Stage = VipEntryPropertyNames.Stage;
    private const string Hash = VipEntryPropertyNames.TokenHash;
    private const string Issued = VipEntryPropertyNames.IssuedAt;
    private const string Link = VipEntryPropertyNames.InviteLink;
    private const string Lapse = VipEntryPropertyNames.LapseHandledAt;

    private readonly TContext _context;
    private readonly VipEntryEntityMapping _map;
    private readonly bool _canInsert;
    private readonly string _id;
    private readonly string _end;

    /// <summary>Creates the store over <paramref name="context"/>.</summary>
    /// <param name="context">The host's context (scoped).</param>
    /// <param name="canInsert">Whether <see cref="TryCreateAsync"/> inserts rows (the ready-made entity) or the host owns inserts.</param>
    public EfCoreVipEntryStore(TContext context, bool canInsert)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _map = VipEntryEntityMapping.Resolve(context, typeof(TEntity));
        _canInsert = canInsert;
        _id = _map.IdProperty;
        _end = _map.EndProperty;
    }

    private IQueryable<TEntity> Rows => _context.Set<TEntity>().AsNoTracking();

    /// <inheritdoc />
    public async ValueTask<VipEntryRecord?> FindAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        var row = await Project(Row(subscriberId)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row?.ToRecord();
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryRecord?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        var row = await Project(Rows.Where(e => EF.Property<string?>(e, Hash) == tokenHash)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row?.ToRecord();
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryRecord?> FindByLinkAsync(string link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        var row = await Project(Rows.Where(e => EF.Property<string?>(e, Link) == link)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row?.ToRecord();
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryCreateAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, CancellationToken cancellationToken = default)
    {
        if (!_canInsert)
        {
            // A host-owned table: the host inserts its rows (which start at stage 1 by the column default).
            return false;
        }

        // Raw INSERT rather than SaveChanges: SaveChanges would also save whatever the host has pending in this context.
        var sql = _map.BuildInsertSql(_context.GetService<ISqlGenerationHelper>());
        return await OneRowUnlessTakenAsync(
                () => _context.Database.ExecuteSqlRawAsync(sql, [subscriberId, _map.ToProviderEnd(subscriptionEndsAt)!, 1], cancellationToken),
                () => new ValueTask<bool>(ExistsAsync(subscriberId, cancellationToken))) // another writer created it first
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryRenewAsync(VipEntryRecord expected, DateTimeOffset subscriptionEndsAt, bool restart, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var lapse = expected.LapseHandledAt;
        var end = _end;

        // The lapse record is part of the comparison: a renewal must not race a sweep that just reported the member.
        // The end is not: see IVipEntryStore.TryRenewAsync.
        var changed = await AsRead(expected)
            .Where(e => EF.Property<DateTimeOffset?>(e, Lapse) == lapse)
            .ExecuteUpdateAsync(
                s =>
                {
                    s.SetProperty(e => EF.Property<DateTimeOffset>(e, end), subscriptionEndsAt)
                     .SetProperty(e => EF.Property<DateTimeOffset?>(e, Lapse), (DateTimeOffset?)null);
                    if (restart)
                    {
                        s.SetProperty(e => EF.Property<int?>(e, Stage), 1);
                        ClearGrant(s);
                    }
                },
                cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryAdvanceAsync(long subscriberId, VipEntryStage from, VipEntryStage target, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var fromValue = VipEntryRow.ToStoredCondition(from);
        var targetValue = VipEntryRow.ToStored(target);
        var end = _end;
        var changed = await Row(subscriberId)
            .Where(e => EF.Property<int?>(e, Stage) == fromValue && EF.Property<DateTimeOffset>(e, end) > now)
            .ExecuteUpdateAsync(s => s.SetProperty(e => EF.Property<int?>(e, Stage), targetValue), cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryIssueGrantAsync(long subscriberId, string? expectedTokenHash, string newTokenHash, DateTimeOffset now, DateTimeOffset replaceIssuedAtOrBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newTokenHash);
        var end = _end;
        var query = Row(subscriberId).Where(e => EF.Property<int?>(e, Stage) == 3
            && EF.Property<DateTimeOffset>(e, end) > now
            && EF.Property<string?>(e, Hash) == expectedTokenHash);
        if (expectedTokenHash is not null)
        {
            query = query.Where(e => EF.Property<DateTimeOffset?>(e, Issued) <= replaceIssuedAtOrBefore);
        }

        return await OneRowUnlessTakenAsync(
                () => query.ExecuteUpdateAsync(
                    s =>
                    {
                        s.SetProperty(e => EF.Property<string?>(e, Hash), newTokenHash)
                         .SetProperty(e => EF.Property<DateTimeOffset?>(e, Issued), now)
                         .SetProperty(e => EF.Property<string?>(e, Link), (string?)null);
                    },
                    cancellationToken),
                async () => await FindByTokenHashAsync(newTokenHash, cancellationToken).ConfigureAwait(false) is not null) // the hash is some grant's already
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryRecordLinkAsync(long subscriberId, string tokenHash, string link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        ArgumentNullException.ThrowIfNull(link);
        if (link.Length > VipEntryPropertyNames.MaxInviteLinkLength)
        {
            return false;
        }

        return await OneRowUnlessTakenAsync(
                () => Row(subscriberId)
                    .Where(e => EF.Property<string?>(e, Hash) == tokenHash && EF.Property<string?>(e, Link) == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => EF.Property<string?>(e, Link), link), cancellationToken),
                async () => await FindByLinkAsync(link, cancellationToken).ConfigureAwait(false) is not null) // the link is some grant's already
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryWithdrawGrantAsync(long subscriberId, string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        var changed = await Row(subscriberId)
            .Where(e => EF.Property<string?>(e, Hash) == tokenHash && EF.Property<string?>(e, Link) == null)
            .ExecuteUpdateAsync(s => ClearGrant(s), cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryRedeemAsync(long subscriberId, string tokenHash, DateTimeOffset now, DateTimeOffset issuedAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        var end = _end;
        var changed = await Row(subscriberId)
            .Where(e => EF.Property<int?>(e, Stage) == 3
                && EF.Property<string?>(e, Hash) == tokenHash
                && EF.Property<DateTimeOffset?>(e, Issued) > issuedAfter
                && EF.Property<DateTimeOffset>(e, end) > now)
            .ExecuteUpdateAsync(
                s =>
                {
                    s.SetProperty(e => EF.Property<int?>(e, Stage), (int?)null);
                    ClearGrant(s);
                },
                cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TrySkipAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var link = expected.GrantLink;
        var end = _end;
        var changed = await AsRead(expected)
            .Where(e => EF.Property<string?>(e, Link) == link && EF.Property<DateTimeOffset>(e, end) > now)
            .ExecuteUpdateAsync(
                s =>
                {
                    s.SetProperty(e => EF.Property<int?>(e, Stage), (int?)null);
                    ClearGrant(s);
                },
                cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<VipEntryRecord>> ListUnreportedLapsesAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var rows = await Project(UnreportedLapses(now).Take(maxCount)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToRecord());
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryMarkLapseReportedAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var end = _end;

        // No equality on the end time: a host may have written it in another text form (SQLite); "still ended, same
        // stage and grant, not yet reported" is the whole condition, and a renewal in between moves the end past now.
        var changed = await AsRead(expected)
            .Where(e => EF.Property<DateTimeOffset>(e, end) <= now && EF.Property<DateTimeOffset?>(e, Lapse) == null)
            .ExecuteUpdateAsync(
                s =>
                {
                    s.SetProperty(e => EF.Property<DateTimeOffset?>(e, Lapse), now);
                    ClearGrant(s);
                },
                cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<VipEntryStage, int>> CountByStageAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var end = _end;
        var groups = await Rows
            .Where(e => EF.Property<DateTimeOffset>(e, end) > now)
            .GroupBy(e => EF.Property<int?>(e, Stage))
            .Select(g => new { Stage = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return groups.ToDictionary(g => VipEntryRow.ToStage(g.Stage), g => g.Count);
    }

    /// <summary>The sweep's candidates, oldest end first (the query the store runs, for plan checks).</summary>
    internal IQueryable<TEntity> UnreportedLapses(DateTimeOffset now)
    {
        var end = _end;
        var id = _id;
        return Rows
            .Where(e => EF.Property<DateTimeOffset?>(e, Lapse) == null && EF.Property<DateTimeOffset>(e, end) <= now)
            .OrderBy(e => EF.Property<DateTimeOffset>(e, end))
            .ThenBy(e => EF.Property<long>(e, id));
    }

    // One statement that may hit a unique index. A violation means "someone else holds that value" (false) when the
    // conflicting row is there to see; any other database error is not ours to hide and propagates.
    private static async ValueTask<bool> OneRowUnlessTakenAsync(Func<Task<int>> write, Func<ValueTask<bool>> takenByAnother)
    {
        try
        {
            return await write().ConfigureAwait(false) == 1;
        }
        catch (DbException)
        {
            if (await takenByAnother().ConfigureAwait(false))
            {
                return false;
            }

            throw;
        }
    }

    private static void ClearGrant(UpdateSettersBuilder<TEntity> s) =>
        s.SetProperty(e => EF.Property<string?>(e, Hash), (string?)null)
         .SetProperty(e => EF.Property<DateTimeOffset?>(e, Issued), (DateTimeOffset?)null)
         .SetProperty(e => EF.Property<string?>(e, Link), (string?)null);

    // The row of a record as it was read, still at the same stage and with the same grant: the common part of every
    // compare-and-set that starts from a read (renew, skip, lapse mark). Each adds its own conditions.
    private IQueryable<TEntity> AsRead(VipEntryRecord expected)
    {
        var stage = VipEntryRow.ToStoredCondition(expected.Stage);
        var hash = expected.GrantTokenHash;
        return Row(expected.SubscriberId).Where(e => EF.Property<int?>(e, Stage) == stage && EF.Property<string?>(e, Hash) == hash);
    }

    private IQueryable<TEntity> Row(long subscriberId)
    {
        var id = _id;
        return Rows.Where(e => EF.Property<long>(e, id) == subscriberId);
    }

    private IQueryable<VipEntryRow> Project(IQueryable<TEntity> query)
    {
        var id = _id;
        var end = _end;
        return query.Select(e => new VipEntryRow(
            EF.Property<long>(e, id),
            EF.Property<DateTimeOffset>(e, end),
            EF.Property<int?>(e, Stage),
            EF.Property<string?>(e, Hash),
            EF.Property<DateTimeOffset?>(e, Issued),
            EF.Property<string?>(e, Link),
            EF.Property<DateTimeOffset?>(e, Lapse)));
    }

    private async Task<bool> ExistsAsync(long subscriberId, CancellationToken cancellationToken) =>
        await Row(subscriberId).AnyAsync(cancellationToken).ConfigureAwait(false);
}
