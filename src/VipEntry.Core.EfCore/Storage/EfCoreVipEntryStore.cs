// Rules: R3, R8, R9, R13 — fields, reads and the shared compare-and-set helpers of the LINQ path.
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
internal sealed partial class EfCoreVipEntryStore<TContext, TEntity> : IVipEntryStore
    where TContext : DbContext
    where TEntity : class
{
    private const string Stage = VipEntryPropertyNames.Stage;
    private const string Hash = VipEntryPropertyNames.TokenHash;
    private const string Issued = VipEntryPropertyNames.IssuedAt;
    private const string Link = VipEntryPropertyNames.InviteLink;
    private const string Lapse = VipEntryPropertyNames.LapseHandledAt;
    private const string Claim = VipEntryPropertyNames.LapseClaim;
    private const string Lease = VipEntryPropertyNames.LapseLeaseUntil;
    private const string LapseLink = VipEntryPropertyNames.LapseLink;
    private const string Entered = VipEntryPropertyNames.StageEnteredAt;
    private const string StageNudged = VipEntryPropertyNames.StageNudgedAt;
    private const string GrantNudged = VipEntryPropertyNames.GrantNudgedAt;

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
        _statements = VipEntryStatements.For(context, _map);
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
    public async ValueTask<IReadOnlyList<VipEntryRecord>> FindManyAsync(IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriberIds);
        if (subscriberIds.Count == 0)
        {
            return [];
        }

        var ids = subscriberIds.ToArray();
        var id = _id;
        var rows = await Project(Rows.Where(e => ids.Contains(EF.Property<long>(e, id)))).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToRecord());
    }

    // One statement that may hit a unique index (see UniqueWrite): exactly one row changed, or false when another holds it.
    private ValueTask<bool> OneRowUnlessTakenAsync(Func<Task<int>> write, Func<ValueTask<bool>> takenByAnother, CancellationToken cancellationToken) =>
        UniqueWrite.UnlessTakenAsync(_context, "vipentry_unique_write", async () => await write().ConfigureAwait(false) == 1, takenByAnother, cancellationToken);

    private static void ClearLapse(UpdateSettersBuilder<TEntity> s) =>
        s.SetProperty(e => EF.Property<DateTimeOffset?>(e, Lapse), (DateTimeOffset?)null)
         .SetProperty(e => EF.Property<string?>(e, Claim), (string?)null)
         .SetProperty(e => EF.Property<DateTimeOffset?>(e, Lease), (DateTimeOffset?)null)
         .SetProperty(e => EF.Property<string?>(e, LapseLink), (string?)null);

    private static void ClearGrant(UpdateSettersBuilder<TEntity> s) =>
        s.SetProperty(e => EF.Property<string?>(e, Hash), (string?)null)
         .SetProperty(e => EF.Property<DateTimeOffset?>(e, Issued), (DateTimeOffset?)null)
         .SetProperty(e => EF.Property<string?>(e, Link), (string?)null)
         .SetProperty(e => EF.Property<DateTimeOffset?>(e, GrantNudged), (DateTimeOffset?)null);

    // A stage change without a known "now" (completion, a restart through the overload without one): the next nudge pass
    // starts the new visit's clock.
    private static void ClearStageVisit(UpdateSettersBuilder<TEntity> s) =>
        s.SetProperty(e => EF.Property<DateTimeOffset?>(e, Entered), (DateTimeOffset?)null)
         .SetProperty(e => EF.Property<DateTimeOffset?>(e, StageNudged), (DateTimeOffset?)null);

    // The row of a record as it was read, still at the same stage, with the same grant and the same recorded link: the
    // common part of every compare-and-set that starts from a read and may clear a grant (renew, skip, lapse claim), so a
    // link recorded after the read is never dropped unreported. Each adds its own conditions.
    private IQueryable<TEntity> AsRead(VipEntryRecord expected)
    {
        var stage = VipEntryRow.ToStoredCondition(expected.Stage);
        var hash = expected.GrantTokenHash;
        var link = expected.GrantLink;
        return Row(expected.SubscriberId).Where(e => EF.Property<int?>(e, Stage) == stage
            && EF.Property<string?>(e, Hash) == hash
            && EF.Property<string?>(e, Link) == link);
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
            EF.Property<DateTimeOffset?>(e, Lapse),
            EF.Property<string?>(e, Claim),
            EF.Property<DateTimeOffset?>(e, Lease),
            EF.Property<string?>(e, LapseLink),
            EF.Property<DateTimeOffset?>(e, Entered),
            EF.Property<DateTimeOffset?>(e, StageNudged),
            EF.Property<DateTimeOffset?>(e, GrantNudged)));
    }

    private async Task<bool> ExistsAsync(long subscriberId, CancellationToken cancellationToken) =>
        await Row(subscriberId).AnyAsync(cancellationToken).ConfigureAwait(false);
}
