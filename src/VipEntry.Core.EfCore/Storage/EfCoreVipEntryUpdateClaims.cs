using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore;

/// <summary>
/// The EF Core update claims, in VipEntry's own table (<see cref="VipEntryModelOptions.UpdateClaimsTableName"/>), with
/// exactly the semantics of <see cref="InMemoryVipEntryUpdateClaims"/>, on every provider. Every step is one statement:
/// a claim is an <c>UPDATE … WHERE not done AND lease ran out</c> (a takeover), else an <c>INSERT</c> (a new claim) that
/// loses to a concurrent insert on the primary key, else a read of what holds it. The host's change tracker is never used.
/// </summary>
/// <typeparam name="TContext">The host's context.</typeparam>
internal sealed class EfCoreVipEntryUpdateClaims<TContext> : IVipEntryUpdateClaims
    where TContext : DbContext
{
    private static readonly ConditionalWeakTable<IModel, string> InsertSqlByModel = new();

    private readonly TContext _context;
    private readonly string _insertSql;

    /// <summary>Creates the claims over <paramref name="context"/>.</summary>
    /// <param name="context">The host's context (scoped).</param>
    public EfCoreVipEntryUpdateClaims(TContext context)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _insertSql = InsertSqlByModel.TryGetValue(context.Model, out var sql) ? sql : InsertSqlByModel.GetValue(context.Model, _ => BuildInsertSql(context));
    }

    private IQueryable<VipEntryUpdateClaimEntity> Rows => _context.Set<VipEntryUpdateClaimEntity>().AsNoTracking();

    /// <inheritdoc />
    public async ValueTask<VipEntryUpdateClaim> TryClaimAsync(string source, long updateId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        Check(source, owner);
        while (true)
        {
            // A takeover: an unfinished claim whose lease ran out.
            var taken = await Row(source, updateId)
                .Where(e => !e.Done && e.LeaseUntil <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Owner, owner).SetProperty(e => e.LeaseUntil, leaseUntil), cancellationToken)
                .ConfigureAwait(false);
            if (taken == 1)
            {
                return VipEntryUpdateClaim.Claimed;
            }

            var found = await Row(source, updateId).Select(e => new { e.Done }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (found is not null)
            {
                // Done, or held (unless its lease ran out since the update above: then the next round takes it over).
                if (found.Done)
                {
                    return VipEntryUpdateClaim.AlreadyDone;
                }

                if (await Row(source, updateId).AnyAsync(e => !e.Done && e.LeaseUntil > now, cancellationToken).ConfigureAwait(false))
                {
                    return VipEntryUpdateClaim.HeldElsewhere;
                }

                continue;
            }

            // No claim yet. Lost to a concurrent insert: the next round sees the winner's row.
            if (await InsertUnlessTakenAsync(source, updateId, owner, leaseUntil, cancellationToken).ConfigureAwait(false))
            {
                return VipEntryUpdateClaim.Claimed;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> MarkDoneAsync(string source, long updateId, string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        Check(source, owner);
        DateTimeOffset? doneAt = now;
        return await Row(source, updateId)
            .Where(e => !e.Done && e.Owner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Done, true).SetProperty(e => e.DoneAt, doneAt), cancellationToken)
            .ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(string source, long updateId, string owner, CancellationToken cancellationToken = default)
    {
        Check(source, owner);
        var gone = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await Row(source, updateId)
            .Where(e => !e.Done && e.Owner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseUntil, gone), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<int> PurgeAsync(DateTimeOffset doneBefore, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);

        // Read a bounded batch of keys, then delete those still done and old (a portable bounded delete).
        var keys = await Rows.Where(e => e.Done && e.DoneAt < doneBefore)
            .OrderBy(e => e.DoneAt)
            .Take(maxCount)
            .Select(e => new { e.Source, e.UpdateId })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var deleted = 0;
        foreach (var key in keys)
        {
            deleted += await Row(key.Source, key.UpdateId)
                .Where(e => e.Done && e.DoneAt < doneBefore)
                .ExecuteDeleteAsync(cancellationToken)
                .ConfigureAwait(false);
        }

        return deleted;
    }

    private static void Check(string source, string owner)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(source.Length, IVipEntryUpdateClaims.MaxSourceLength, nameof(source));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(owner.Length, IVipEntryUpdateClaims.MaxOwnerLength, nameof(owner));
    }

    private static string BuildInsertSql(DbContext context)
    {
        var entityType = context.Model.FindEntityType(typeof(VipEntryUpdateClaimEntity));
        if (entityType?.FindAnnotation(VipEntryAnnotations.UpdateClaims) is null)
        {
            throw new InvalidOperationException(
                $"The model of '{context.GetType().Name}' has no VipEntry update claims table. It is mapped by the same call as the ritual: "
                + "modelBuilder.AddVipEntrySubscribers() or entity.HasVipEntry(...) in OnModelCreating.");
        }

        var sql = context.GetService<ISqlGenerationHelper>();
        var table = entityType.GetTableName()!;
        var schema = entityType.GetSchema();
        var store = StoreObjectIdentifier.Table(table, schema);
        string Column(string property) => sql.DelimitIdentifier(entityType.FindProperty(property)!.GetColumnName(store)!);
        return $"INSERT INTO {sql.DelimitIdentifier(table, schema)} ("
            + $"{Column(nameof(VipEntryUpdateClaimEntity.Source))}, {Column(nameof(VipEntryUpdateClaimEntity.UpdateId))}, "
            + $"{Column(nameof(VipEntryUpdateClaimEntity.Done))}, {Column(nameof(VipEntryUpdateClaimEntity.Owner))}, "
            + $"{Column(nameof(VipEntryUpdateClaimEntity.LeaseUntil))}, {Column(nameof(VipEntryUpdateClaimEntity.DoneAt))}) "
            + "VALUES ({0}, {1}, {2}, {3}, {4}, NULL)";
    }

    private ValueTask<bool> InsertUnlessTakenAsync(string source, long updateId, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        object[] values = [source, updateId, false, owner, UtcDateTimeOffsetConverter.ToUtcDateTime(leaseUntil)];
        return UniqueWrite.UnlessTakenAsync(
            _context,
            "vipentry_update_claim",
            async () =>
            {
                _ = await _context.Database.ExecuteSqlRawAsync(_insertSql, values, cancellationToken).ConfigureAwait(false);
                return true;
            },
            async () => await Row(source, updateId).AnyAsync(cancellationToken).ConfigureAwait(false),
            cancellationToken);
    }

    private IQueryable<VipEntryUpdateClaimEntity> Row(string source, long updateId) =>
        Rows.Where(e => e.Source == source && e.UpdateId == updateId);
}
