using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore;

/// <summary>
/// The EF Core payment store, in VipEntry's own table (<see cref="VipEntryModelOptions.PaymentsTableName"/>), with exactly
/// the semantics of <see cref="InMemoryVipEntryPaymentStore"/>. Every step is one statement, its condition in the
/// <c>WHERE</c>: recording is an <c>UPDATE … WHERE not applied, not refunded and the lease ran out</c> (a takeover), else an
/// <c>INSERT</c> that loses to a concurrent insert on the primary key, else a read of what holds it; marking, releasing,
/// refunding and confirming are compare-and-set updates. The batch claims are one <c>UPDATE … WHERE charge_id IN (bounded,
/// ordered candidates) AND (the condition again) RETURNING</c> on PostgreSQL (candidates <c>FOR UPDATE SKIP LOCKED</c>) and
/// SQLite (writers serialized); on other providers a bounded read followed by a compare-and-set update per row. The host's
/// change tracker is never used.
/// </summary>
/// <typeparam name="TContext">The host's context.</typeparam>
internal sealed class EfCoreVipEntryPaymentStore<TContext> : IVipEntryPaymentStore
    where TContext : DbContext
{
    private static readonly ConditionalWeakTable<IModel, Sql> SqlByModel = new();

    private readonly TContext _context;
    private readonly Sql _sql;
    private readonly bool _singleStatementClaims;

    /// <summary>Creates the store over <paramref name="context"/>.</summary>
    /// <param name="context">The host's context (scoped).</param>
    public EfCoreVipEntryPaymentStore(TContext context)
        : this(context, portableClaims: false)
    {
    }

    /// <summary>Creates the store; <paramref name="portableClaims"/> forces the batch claims every provider runs (for tests).</summary>
    /// <param name="context">The host's context (scoped).</param>
    /// <param name="portableClaims">Whether the batch claims read, then update row by row, even where one statement would do.</param>
    internal EfCoreVipEntryPaymentStore(TContext context, bool portableClaims)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _sql = SqlByModel.TryGetValue(context.Model, out var sql) ? sql : SqlByModel.GetValue(context.Model, _ => Sql.Build(context));
        _singleStatementClaims = !portableClaims && _sql.ClaimUnapplied is not null;
    }

    private IQueryable<VipEntryPaymentEntity> Rows => _context.Set<VipEntryPaymentEntity>().AsNoTracking();

    /// <inheritdoc />
    public async ValueTask<VipEntryPaymentClaim> TryClaimAsync(VipEntryPayment payment, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payment);
        CheckChargeId(payment.ChargeId);
        CheckOwner(owner);
        ArgumentException.ThrowIfNullOrEmpty(payment.Currency, nameof(payment));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payment.Currency.Length, IVipEntryPaymentStore.MaxCurrencyLength, nameof(payment));
        var chargeId = payment.ChargeId;
        while (true)
        {
            // A takeover: recorded, owed, and its last holder's lease ran out (or it was released).
            var taken = await Row(chargeId)
                .Where(e => e.AppliedAt == null && e.RefundedAt == null && (e.ClaimUntil == null || e.ClaimUntil <= now))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ClaimOwner, owner).SetProperty(e => e.ClaimUntil, (DateTimeOffset?)leaseUntil), cancellationToken)
                .ConfigureAwait(false);
            if (taken == 1)
            {
                return VipEntryPaymentClaim.Claimed;
            }

            var found = await Row(chargeId)
                .Select(e => new { e.AppliedAt, e.RefundedAt, e.ClaimUntil })
                .FirstOrDefaultAsync(cancellationToken)
                .ConfigureAwait(false);
            if (found is not null)
            {
                if (found.AppliedAt is not null || found.RefundedAt is not null)
                {
                    return VipEntryPaymentClaim.AlreadyApplied;
                }

                if (found.ClaimUntil > now)
                {
                    return VipEntryPaymentClaim.HeldElsewhere;
                }

                continue; // its lease ran out (or it was released) since the update above: the next round takes it over
            }

            // Not recorded yet. Lost to a concurrent insert: the next round sees the winner's row.
            if (await InsertUnlessTakenAsync(payment, owner, leaseUntil, cancellationToken).ConfigureAwait(false))
            {
                return VipEntryPaymentClaim.Claimed;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> MarkAppliedAsync(string chargeId, string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        CheckChargeId(chargeId);
        CheckOwner(owner);
        DateTimeOffset? appliedAt = now;
        return await Row(chargeId)
            .Where(e => e.AppliedAt == null && e.RefundedAt == null && e.ClaimOwner == owner)
            .ExecuteUpdateAsync(
                s => s.SetProperty(e => e.AppliedAt, appliedAt)
                      .SetProperty(e => e.ClaimOwner, (string?)null)
                      .SetProperty(e => e.ClaimUntil, (DateTimeOffset?)null),
                cancellationToken)
            .ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(string chargeId, string owner, CancellationToken cancellationToken = default)
    {
        CheckChargeId(chargeId);
        CheckOwner(owner);
        await Row(chargeId)
            .Where(e => e.AppliedAt == null && e.RefundedAt == null && e.ClaimOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ClaimOwner, (string?)null).SetProperty(e => e.ClaimUntil, (DateTimeOffset?)null), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<VipEntryPayment>> ClaimUnappliedAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int maxCount, CancellationToken cancellationToken = default)
    {
        CheckOwner(owner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        List<VipEntryPaymentEntity> claimed;
        if (_singleStatementClaims)
        {
            claimed = await ClaimInOneStatementAsync(_sql.ClaimUnapplied!, owner, now, leaseUntil, maxCount, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var candidates = await Unapplied(now).Select(e => e.ChargeId).ToListAsync(cancellationToken).ConfigureAwait(false);
            claimed = await ClaimRowByRowAsync(
                candidates.Take(maxCount),
                id => Row(id).Where(e => e.AppliedAt == null && e.RefundedAt == null && (e.ClaimUntil == null || e.ClaimUntil <= now)),
                owner,
                leaseUntil,
                cancellationToken).ConfigureAwait(false);
        }

        return claimed.OrderBy(e => e.PaidAt).ThenBy(e => e.ChargeId, StringComparer.Ordinal).Select(ToPayment).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryPayment?> FindAsync(string chargeId, CancellationToken cancellationToken = default)
    {
        CheckChargeId(chargeId);
        var row = await Row(chargeId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToPayment(row);
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryPayment?> FindLatestAsync(long personId, CancellationToken cancellationToken = default)
    {
        var row = await Latest(personId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToPayment(row);
    }

    /// <inheritdoc />
    public async ValueTask<bool> MarkRefundedAsync(string chargeId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        CheckChargeId(chargeId);
        DateTimeOffset? refundedAt = now;

        // Any claim on the application ends with the refund: a refunded payment is never applied.
        return await Row(chargeId)
            .Where(e => e.RefundedAt == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(e => e.RefundedAt, refundedAt)
                      .SetProperty(e => e.ClaimOwner, (string?)null)
                      .SetProperty(e => e.ClaimUntil, (DateTimeOffset?)null),
                cancellationToken)
            .ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<VipEntryPayment>> ClaimOwedCancellationsAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int maxCount, CancellationToken cancellationToken = default)
    {
        CheckOwner(owner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        List<VipEntryPaymentEntity> claimed;
        if (_singleStatementClaims)
        {
            claimed = await ClaimInOneStatementAsync(_sql.ClaimOwedCancellations!, owner, now, leaseUntil, maxCount, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var candidates = await OwedCancellations(now).Select(e => e.ChargeId).ToListAsync(cancellationToken).ConfigureAwait(false);
            claimed = await ClaimRowByRowAsync(
                candidates.Take(maxCount),
                id => Row(id).Where(e => e.RefundedAt != null && e.RenewalCanceledAt == null && (e.ClaimUntil == null || e.ClaimUntil <= now)),
                owner,
                leaseUntil,
                cancellationToken).ConfigureAwait(false);
        }

        return claimed.OrderBy(e => e.RefundedAt).ThenBy(e => e.ChargeId, StringComparer.Ordinal).Select(ToPayment).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<bool> ConfirmRenewalCanceledAsync(string chargeId, string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        CheckChargeId(chargeId);
        CheckOwner(owner);
        DateTimeOffset? canceledAt = now;
        return await Row(chargeId)
            .Where(e => e.RefundedAt != null && e.RenewalCanceledAt == null && e.ClaimOwner == owner)
            .ExecuteUpdateAsync(
                s => s.SetProperty(e => e.RenewalCanceledAt, canceledAt)
                      .SetProperty(e => e.ClaimOwner, (string?)null)
                      .SetProperty(e => e.ClaimUntil, (DateTimeOffset?)null),
                cancellationToken)
            .ConfigureAwait(false) == 1;
    }

    /// <summary>The candidates of <see cref="ClaimUnappliedAsync"/>, oldest payment first (the portable path's read, for plan checks).</summary>
    internal IQueryable<VipEntryPaymentEntity> Unapplied(DateTimeOffset now) =>
        Rows.Where(e => e.AppliedAt == null && e.RefundedAt == null && (e.ClaimUntil == null || e.ClaimUntil <= now))
            .OrderBy(e => e.PaidAt)
            .ThenBy(e => e.ChargeId);

    /// <summary>The candidates of <see cref="ClaimOwedCancellationsAsync"/>, oldest refund first (the portable path's read, for plan checks).</summary>
    internal IQueryable<VipEntryPaymentEntity> OwedCancellations(DateTimeOffset now) =>
        Rows.Where(e => e.RefundedAt != null && e.RenewalCanceledAt == null && (e.ClaimUntil == null || e.ClaimUntil <= now))
            .OrderBy(e => e.RefundedAt)
            .ThenBy(e => e.ChargeId);

    /// <summary>A member's payments, latest first (the read of <see cref="FindLatestAsync"/>, for plan checks).</summary>
    internal IQueryable<VipEntryPaymentEntity> Latest(long personId) =>
        Rows.Where(e => e.PersonId == personId).OrderByDescending(e => e.PaidAt).ThenByDescending(e => e.ChargeId);

    private static void CheckChargeId(string chargeId)
    {
        ArgumentException.ThrowIfNullOrEmpty(chargeId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chargeId.Length, IVipEntryPaymentStore.MaxChargeIdLength, nameof(chargeId));
    }

    private static void CheckOwner(string owner)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(owner.Length, IVipEntryPaymentStore.MaxOwnerLength, nameof(owner));
    }

    private static VipEntryPayment ToPayment(VipEntryPaymentEntity row) =>
        new(row.ChargeId, row.PersonId, row.Currency, row.Amount, row.PaidAt, row.PeriodEnd, row.IsRecurring, row.IsFirstRecurring, row.AppliedAt, row.RefundedAt, row.RenewalCanceledAt);

    // One UPDATE … RETURNING: the whole batch is claimed, or (on an error) none of it.
    private Task<List<VipEntryPaymentEntity>> ClaimInOneStatementAsync(string sql, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int maxCount, CancellationToken cancellationToken)
    {
        object[] values = [owner, UtcDateTimeOffsetConverter.ToUtcDateTime(leaseUntil), UtcDateTimeOffsetConverter.ToUtcDateTime(now), maxCount];
        return _context.Set<VipEntryPaymentEntity>().FromSqlRaw(sql, values).AsNoTracking().ToListAsync(cancellationToken);
    }

    // Every provider: a compare-and-set per candidate, its condition re-checked on the row, so a row a concurrent claimer
    // took in between is not taken again; then the claimed rows are read back.
    private async Task<List<VipEntryPaymentEntity>> ClaimRowByRowAsync(
        IEnumerable<string> candidates,
        Func<string, IQueryable<VipEntryPaymentEntity>> claimable,
        string owner,
        DateTimeOffset leaseUntil,
        CancellationToken cancellationToken)
    {
        var claimed = new List<VipEntryPaymentEntity>();
        foreach (var chargeId in candidates)
        {
            var changed = await claimable(chargeId)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ClaimOwner, owner).SetProperty(e => e.ClaimUntil, (DateTimeOffset?)leaseUntil), cancellationToken)
                .ConfigureAwait(false);
            if (changed == 1 && await Row(chargeId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) is { } row)
            {
                claimed.Add(row);
            }
        }

        return claimed;
    }

    private ValueTask<bool> InsertUnlessTakenAsync(VipEntryPayment payment, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        object[] values =
        [
            payment.ChargeId, payment.PersonId, payment.Currency, payment.Amount,
            UtcDateTimeOffsetConverter.ToUtcDateTime(payment.PaidAt), UtcDateTimeOffsetConverter.ToUtcDateTime(payment.PeriodEnd),
            payment.IsRecurring, payment.IsFirstRecurring, owner, UtcDateTimeOffsetConverter.ToUtcDateTime(leaseUntil),
        ];
        return UniqueWrite.UnlessTakenAsync(
            _context,
            "vipentry_payment_insert",
            async () =>
            {
                _ = await _context.Database.ExecuteSqlRawAsync(_sql.Insert, values, cancellationToken).ConfigureAwait(false);
                return true;
            },
            async () => await Row(payment.ChargeId).AnyAsync(cancellationToken).ConfigureAwait(false),
            cancellationToken);
    }

    private IQueryable<VipEntryPaymentEntity> Row(string chargeId) => Rows.Where(e => e.ChargeId == chargeId);

    /// <summary>The raw statements of one model: the insert, and the one-statement batch claims where the provider has them.</summary>
    private sealed record Sql(string Insert, string? ClaimUnapplied, string? ClaimOwedCancellations)
    {
        public static Sql Build(DbContext context)
        {
            var entityType = context.Model.FindEntityType(typeof(VipEntryPaymentEntity));
            if (entityType?.FindAnnotation(VipEntryAnnotations.Payments) is null)
            {
                throw new InvalidOperationException(
                    $"The model of '{context.GetType().Name}' has no VipEntry payments table. It is mapped by the same call as the ritual: "
                    + "modelBuilder.AddVipEntrySubscribers() or entity.HasVipEntry(...) in OnModelCreating.");
            }

            var sql = context.GetService<ISqlGenerationHelper>();
            var table = sql.DelimitIdentifier(entityType.GetTableName()!, entityType.GetSchema());
            var store = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
            string C(string property) => sql.DelimitIdentifier(entityType.FindProperty(property)!.GetColumnName(store)!);
            var insert = $"INSERT INTO {table} ("
                + $"{C(nameof(VipEntryPaymentEntity.ChargeId))}, {C(nameof(VipEntryPaymentEntity.PersonId))}, {C(nameof(VipEntryPaymentEntity.Currency))}, "
                + $"{C(nameof(VipEntryPaymentEntity.Amount))}, {C(nameof(VipEntryPaymentEntity.PaidAt))}, {C(nameof(VipEntryPaymentEntity.PeriodEnd))}, "
                + $"{C(nameof(VipEntryPaymentEntity.IsRecurring))}, {C(nameof(VipEntryPaymentEntity.IsFirstRecurring))}, "
                + $"{C(nameof(VipEntryPaymentEntity.AppliedAt))}, {C(nameof(VipEntryPaymentEntity.RefundedAt))}, {C(nameof(VipEntryPaymentEntity.RenewalCanceledAt))}, "
                + $"{C(nameof(VipEntryPaymentEntity.ClaimOwner))}, {C(nameof(VipEntryPaymentEntity.ClaimUntil))}) "
                + "VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, NULL, NULL, NULL, {8}, {9})";

            var provider = context.Database.ProviderName;
            var postgres = provider == VipEntryEntityMapping.PostgreSqlProvider;
            if (!postgres && provider != "Microsoft.EntityFrameworkCore.Sqlite")
            {
                return new Sql(insert, null, null);
            }

            // {0} owner, {1} lease end, {2} now, {3} the batch size. The condition is written twice: in the bounded,
            // ordered choice of candidates and again on each row the update writes (re-checked on the row's latest version
            // by PostgreSQL after a concurrent claimer committed; SQLite runs one writer at a time).
            var id = C(nameof(VipEntryPaymentEntity.ChargeId));
            var until = C(nameof(VipEntryPaymentEntity.ClaimUntil));
            var leaseRanOut = $"({until} IS NULL OR {until} <= {{2}})";
            var unapplied = $"{C(nameof(VipEntryPaymentEntity.AppliedAt))} IS NULL AND {C(nameof(VipEntryPaymentEntity.RefundedAt))} IS NULL AND {leaseRanOut}";
            var owed = $"{C(nameof(VipEntryPaymentEntity.RefundedAt))} IS NOT NULL AND {C(nameof(VipEntryPaymentEntity.RenewalCanceledAt))} IS NULL AND {leaseRanOut}";
            // PostgreSQL: the candidates are an array computed once (an InitPlan). As "IN (SELECT …)" the planner may rescan
            // the subquery, and a rescan skips the rows this statement already locked and updated and takes the next ones,
            // so the batch would exceed its bound.
            string Candidates(string condition, string order) => postgres
                ? $"{id} = ANY(ARRAY(SELECT {id} FROM {table} WHERE {condition} ORDER BY {C(order)}, {id} LIMIT {{3}} FOR UPDATE SKIP LOCKED))"
                : $"{id} IN (SELECT {id} FROM {table} WHERE {condition} ORDER BY {C(order)}, {id} LIMIT {{3}})";
            string Claim(string condition, string order) =>
                $"UPDATE {table} SET {C(nameof(VipEntryPaymentEntity.ClaimOwner))} = {{0}}, {until} = {{1}} "
                + $"WHERE {Candidates(condition, order)} AND {condition} RETURNING *";
            return new Sql(
                insert,
                Claim(unapplied, nameof(VipEntryPaymentEntity.PaidAt)),
                Claim(owed, nameof(VipEntryPaymentEntity.RefundedAt)));
        }
    }
}
