using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore;

/// <summary>
/// The EF Core store of the channel facts (R19), in VipEntry's own table (<see cref="VipEntryModelOptions.ChannelTableName"/>),
/// with exactly the semantics of <see cref="InMemoryVipEntryChannelStore"/>. Every step is one statement: an
/// <c>UPDATE … WHERE</c> (<c>ExecuteUpdate</c>, or for the worker's claim and settlement a raw statement that takes the
/// record by its key, prepared on PostgreSQL) whose condition carries the expected claim, version and times, or a raw
/// <c>INSERT</c> when a record is created. The host's change tracker is never used, so pending host changes are never
/// saved by it.
/// </summary>
/// <remarks>
/// Creating a record (the first <see cref="RecordInsideAsync"/> or <see cref="OweRevocationsAsync"/> of a person) is an
/// update that finds no row, then an insert; when another writer inserted the same person first, the insert hits the
/// primary key and the update runs again on that writer's row. Adding links is a read and a compare-and-set on the
/// version, retried until it lands (each retry means another writer's change landed), so every link is added exactly once.
/// </remarks>
/// <typeparam name="TContext">The host's context.</typeparam>
internal sealed class EfCoreVipEntryChannelStore<TContext> : IVipEntryChannelStore
    where TContext : DbContext
{
    private const char LinkSeparator = '\n';

    private readonly TContext _context;
    private readonly VipEntryChannelMapping _map;

    /// <summary>Creates the store over <paramref name="context"/>.</summary>
    /// <param name="context">The host's context (scoped).</param>
    public EfCoreVipEntryChannelStore(TContext context)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _map = VipEntryChannelMapping.Resolve(context);
    }

    private IQueryable<VipEntryChannelEntity> Rows => _context.Set<VipEntryChannelEntity>().AsNoTracking();

    /// <inheritdoc />
    public async ValueTask<VipEntryChannelRecord?> FindAsync(string chat, long personId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        var row = await Row(chat, personId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToRecord(row);
    }

    /// <inheritdoc />
    public async ValueTask RecordInsideAsync(string chat, long personId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        while (true)
        {
            if (await MarkInsideAsync(chat, personId, now, cancellationToken).ConfigureAwait(false) == 1)
            {
                return;
            }

            // No record yet. Lost to another writer's insert: the next round updates that writer's row.
            if (await InsertUnlessTakenAsync(chat, personId, mayBeInside: true, links: null, now, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask RecordOutsideAsync(string chat, long personId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        await Row(chat, personId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.MayBeInside, false).SetProperty(e => e.Version, e => e.Version + 1), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask OweRevocationsAsync(string chat, long personId, IReadOnlyList<string> links, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(links);
        if (links.Count == 0)
        {
            return;
        }

        RefuseLineBreaks(links, nameof(links));
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = await Row(chat, personId)
                .Select(e => new { e.LinksToRevoke, e.Version })
                .FirstOrDefaultAsync(cancellationToken)
                .ConfigureAwait(false);
            if (current is null)
            {
                var fresh = Join(links.Distinct(StringComparer.Ordinal).ToArray());
                if (await InsertUnlessTakenAsync(chat, personId, mayBeInside: false, fresh, now, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                continue; // another writer created the record first: merge into theirs
            }

            var merged = Join(Split(current.LinksToRevoke).Concat(links).Distinct(StringComparer.Ordinal).ToArray());
            var version = current.Version;
            var changed = await Row(chat, personId)
                .Where(e => e.Version == version)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(e => e.LinksToRevoke, merged)
                          .SetProperty(e => e.DueAt, (DateTimeOffset?)now)
                          .SetProperty(e => e.Version, e => e.Version + 1),
                    cancellationToken)
                .ConfigureAwait(false);
            if (changed == 1)
            {
                return;
            }

            // Another change landed between the read and the write: read again, so its links (and ours) are kept.
        }
    }

    /// <inheritdoc />
    public async ValueTask MarkDueAsync(string chat, IReadOnlyCollection<long> personIds, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(personIds);
        if (personIds.Count == 0)
        {
            return;
        }

        var ids = personIds.Distinct().ToArray();
        await Rows
            .Where(e => e.Chat == chat && ids.Contains(e.PersonId) && (e.MayBeInside || e.BanMayStand || e.LinksToRevoke != null))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.DueAt, (DateTimeOffset?)now).SetProperty(e => e.Version, e => e.Version + 1), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<VipEntryChannelRecord>> ListDueAsync(string chat, DateTimeOffset now, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var rows = await Due(chat, now).Take(maxCount).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(ToRecord);
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryClaimAsync(VipEntryChannelRecord expected, string claimId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        // Same conditions as the row was read: version and claim (NULL-safe), due, and unheld or its lease ran out.
        var at = UtcDateTimeOffsetConverter.ToUtcDateTime(now);
        var lease = UtcDateTimeOffsetConverter.ToUtcDateTime(leaseUntil);
        var changed = expected.ClaimId is { } held
            ? await ExecuteAsync(_map.ClaimHeldSql, [claimId, lease, expected.Chat, expected.PersonId, expected.Version, at, held], cancellationToken).ConfigureAwait(false)
            : await ExecuteAsync(_map.ClaimUnheldSql, [claimId, lease, expected.Chat, expected.PersonId, expected.Version, at], cancellationToken).ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryRecordBanAsync(string chat, long personId, string claimId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        var changed = await Row(chat, personId)
            .Where(e => e.Claim == claimId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.BanMayStand, true), cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TrySettleAsync(VipEntryChannelSettlement settlement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        ArgumentNullException.ThrowIfNull(settlement.Chat, nameof(settlement));
        ArgumentNullException.ThrowIfNull(settlement.LinksToRevoke, nameof(settlement));
        RefuseLineBreaks(settlement.LinksToRevoke, nameof(settlement));
        ArgumentNullException.ThrowIfNull(settlement.ClaimId, nameof(settlement));
        var links = Join(settlement.LinksToRevoke);
        var values = new List<object>(8) { settlement.MayBeInside, settlement.BanMayStand };
        if (links is not null)
        {
            values.Add(links);
        }

        if (settlement.NextDueAt is { } due)
        {
            values.Add(UtcDateTimeOffsetConverter.ToUtcDateTime(due));
        }

        values.AddRange([settlement.Chat, settlement.PersonId, settlement.Version, settlement.ClaimId]);
        var sql = _map.SettleSql[(links is null ? 0 : 2) + (settlement.NextDueAt is null ? 0 : 1)];
        var changed = await ExecuteAsync(sql, values, cancellationToken).ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(string chat, long personId, string claimId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        await Row(chat, personId)
            .Where(e => e.Claim == claimId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Claim, (string?)null).SetProperty(e => e.LeaseUntil, (DateTimeOffset?)null), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> RememberLanguageAsync(string chat, long personId, string language, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentException.ThrowIfNullOrEmpty(language);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(language.Length, VipEntryChannelRecord.MaxLanguageLength, nameof(language));
        while (true)
        {
            // Compare first: a member's every update reads one column and writes nothing when the language is known.
            var current = await Row(chat, personId).Select(e => new { e.Language }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (current is not null)
            {
                if (string.Equals(current.Language, language, StringComparison.Ordinal))
                {
                    return false;
                }

                // Not a fact: the version and the due time stay, so a worker's claim or settlement is not disturbed.
                var changed = await Row(chat, personId)
                    .Where(e => e.Language == null || e.Language != language)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.Language, language), cancellationToken)
                    .ConfigureAwait(false);
                return changed == 1;
            }

            if (await InsertUnlessTakenAsync(chat, personId, _map.InsertSqlWithLanguage, [chat, personId, false, false, language], cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }
    }

    /// <summary>The worker's due records, earliest first (the query <see cref="ListDueAsync"/> runs, for plan checks).</summary>
    internal IQueryable<VipEntryChannelEntity> Due(string chat, DateTimeOffset now) =>
        Rows
            .Where(e => e.Chat == chat && e.DueAt <= now && (e.Claim == null || e.LeaseUntil <= now))
            .OrderBy(e => e.DueAt)
            .ThenBy(e => e.PersonId);

    private Task<int> MarkInsideAsync(string chat, long personId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Row(chat, personId).ExecuteUpdateAsync(
            s => s.SetProperty(e => e.MayBeInside, true)
                  .SetProperty(e => e.DueAt, (DateTimeOffset?)now)
                  .SetProperty(e => e.Version, e => e.Version + 1),
            cancellationToken);

    // One INSERT of a new record (version 1, due now, unclaimed). False when the person's record exists (another writer
    // created it first): the primary key refused the insert. Inside the host's own transaction the statement runs under a
    // savepoint, as EfCoreVipEntryStore's unique writes do: on PostgreSQL a failed statement would abort the host's
    // transaction. Any other database error propagates.
    private ValueTask<bool> InsertUnlessTakenAsync(string chat, long personId, bool mayBeInside, string? links, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = UtcDateTimeOffsetConverter.ToUtcDateTime(now);
        return links is null
            ? InsertUnlessTakenAsync(chat, personId, _map.InsertSqlWithoutLinks, [chat, personId, mayBeInside, false, due], cancellationToken)
            : InsertUnlessTakenAsync(chat, personId, _map.InsertSql, [chat, personId, mayBeInside, false, links, due], cancellationToken);
    }

    private ValueTask<bool> InsertUnlessTakenAsync(string chat, long personId, string insertSql, object[] values, CancellationToken cancellationToken) =>
        UniqueWrite.UnlessTakenAsync(
            _context,
            "vipentry_channel_insert",
            async () =>
            {
                _ = await _context.Database.ExecuteSqlRawAsync(insertSql, values, cancellationToken).ConfigureAwait(false);
                return true;
            },
            async () => await Row(chat, personId).AnyAsync(cancellationToken).ConfigureAwait(false),
            cancellationToken);

    // One of the worker's writes as ExecuteSqlRaw runs it (EF's raw SQL command, its parameters typed by their values,
    // under the concurrency detector, no execution strategy), prepared on PostgreSQL as the transitions are.
    private async Task<int> ExecuteAsync(string sql, IReadOnlyList<object> values, CancellationToken cancellationToken)
    {
        if (!_map.Prepare)
        {
            return await _context.Database.ExecuteSqlRawAsync(sql, values, cancellationToken).ConfigureAwait(false);
        }

        var raw = _context.GetService<IRawSqlCommandBuilder>().Build(sql, values, _context.Model);
        var built = raw.RelationalCommand;
        var command = built.GetType() == typeof(RelationalCommand)
            ? new VipEntryPreparedCommand(_context.GetService<RelationalCommandBuilderDependencies>(), built.CommandText, built.LogCommandText, built.Parameters)
            : built;
        var connection = _context.GetService<IRelationalConnection>();
        using (_context.GetService<IConcurrencyDetector>().EnterCriticalSection())
        {
            // Open (counted, as EF's own open is) before EF creates the command, so it can be prepared on it.
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await command
                    .ExecuteNonQueryAsync(
                        new RelationalCommandParameterObject(connection, raw.ParameterValues, null, _context, _context.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.ExecuteSqlRaw),
                        cancellationToken)
                    .ConfigureAwait(false);
            }
            finally
            {
                await connection.CloseAsync().ConfigureAwait(false);
            }
        }
    }

    private IQueryable<VipEntryChannelEntity> Row(string chat, long personId) =>
        Rows.Where(e => e.Chat == chat && e.PersonId == personId);

    private static VipEntryChannelRecord ToRecord(VipEntryChannelEntity row) =>
        new(row.Chat, row.PersonId, row.MayBeInside, row.BanMayStand, Split(row.LinksToRevoke), row.DueAt, row.Version)
        {
            ClaimId = row.Claim,
            LeaseUntil = row.LeaseUntil,
            Language = row.Language,
        };

    // None is NULL, so "holds links" is IS NOT NULL in SQL; any list, even one of an empty string, round-trips.
    private static string? Join(IReadOnlyList<string> links) => links.Count == 0 ? null : string.Join(LinkSeparator, links);

    private static string[] Split(string? links) => links is null ? [] : links.Split(LinkSeparator);

    // The separator cannot be part of a link: a link with a line break would come back as two.
    private static void RefuseLineBreaks(IReadOnlyList<string> links, string paramName)
    {
        foreach (var link in links)
        {
            ArgumentNullException.ThrowIfNull(link, paramName);
            if (link.Contains(LinkSeparator, StringComparison.Ordinal))
            {
                throw new ArgumentException("A link to revoke cannot contain a line break.", paramName);
            }
        }
    }
}
