// Rules: R3, R13 — the statement path: operation keys, execution pipeline and shared statement helpers.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using W = VipEntry.Core.EfCore.VipEntryStatements.Writer;

namespace VipEntry.Core.EfCore;

/// <summary>
/// The statement path of the store (see <see cref="VipEntryStatements"/>): each transition is the same one
/// compare-and-set the LINQ path sends (the same SET list and WHERE, the same NULL handling), with its text built once
/// per model and shape, bound and executed through EF's relational command pipeline on the context's connection and
/// current transaction, under EF's concurrency detector and the context's execution strategy.
/// </summary>
internal sealed partial class EfCoreVipEntryStore<TContext, TEntity>
{
    private const int OpInsert = 1;
    private const int OpRenew = 2;
    private const int OpAdvance = 3;
    private const int OpIssue = 4;
    private const int OpRecordLink = 5;
    private const int OpWithdraw = 6;
    private const int OpRedeem = 7;
    private const int OpSkip = 8;
    private const int OpClaimLapse = 9;
    private const int OpConfirmLapse = 10;
    private const int OpClaimIdle = 11;
    private const int OpClaimGrantNudge = 12;
    private const int OpFunnel = 13;
    private const int OpCreateMany = 14;
    private const int OpRenewMany = 15;
    private const int OpClaimLapses = 16;
    private const int OpCreateManyJson = 17;

    private readonly VipEntryStatements? _statements;
    private IRelationalConnection? _connection;
    private IRelationalCommandDiagnosticsLogger? _logger;
    private IConcurrencyDetector? _concurrency;
    private IExecutionStrategy? _nonRetrying;
    private RelationalCommandBuilderDependencies? _dependencies;

    // One compare-and-set: bind (values and shape), find or build the statement, run it; the number of rows it changed.
    private async Task<int> RunAsync<TState>(int operation, TState state, Action<W, TState> compose, CommandSource source, CancellationToken cancellationToken)
    {
        var statements = _statements!;
        // A writer per call: its values must stay this call's even if a host misuses the context concurrently (EF's
        // concurrency detector then throws for the second call, but only once it executes).
        var writer = new W(statements, build: false);
        compose(writer, state);
        var statement = statements.Get(((long)operation << 32) | writer.Shape, state, compose, prepare: true);
        var values = new VipEntryStatements.ParameterValues(writer.Values);
        var strategy = Strategy();
        if (!strategy.RetriesOnFailure)
        {
            return await ExecuteAsync(statement, values, source, cancellationToken).ConfigureAwait(false);
        }

        return await strategy.ExecuteAsync(
                (Store: this, Statement: statement, Values: values, Source: source),
                static (_, s, ct) => s.Store.ExecuteAsync(s.Statement, s.Values, s.Source, ct),
                null,
                cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<int> ExecuteAsync(VipEntryStatements.Statement statement, VipEntryStatements.ParameterValues values, CommandSource source, CancellationToken cancellationToken)
    {
        using (Concurrency().EnterCriticalSection())
        {
            var connection = Connection();
            if (!statement.Prepared)
            {
                return await statement.Command
                    .ExecuteNonQueryAsync(new RelationalCommandParameterObject(connection, values, null, _context, Logger(), source), cancellationToken)
                    .ConfigureAwait(false);
            }

            // Open (counted, as EF's own open is) before EF creates the command, so the command can be prepared on it.
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await statement.Command
                    .ExecuteNonQueryAsync(new RelationalCommandParameterObject(connection, values, null, _context, Logger(), source), cancellationToken)
                    .ConfigureAwait(false);
            }
            finally
            {
                await connection.CloseAsync().ConfigureAwait(false);
            }
        }
    }

    // A reading statement runs as a command of its own per execution: EF's RelationalCommand keeps one reusable
    // RelationalDataReader, so the cached command (shared by every context of the model) cannot run two readers at once;
    // two stores reading through it concurrently (two sweeps claiming on PostgreSQL) would share that reader.
    private RelationalCommand ReaderCommand(VipEntryStatements.Statement statement)
    {
        var command = statement.Command;
        return new RelationalCommand(_dependencies ??= _context.GetService<RelationalCommandBuilderDependencies>(), command.CommandText, command.LogCommandText, command.Parameters);
    }

    private IRelationalConnection Connection() => _connection ??= _context.GetService<IRelationalConnection>();

    private IRelationalCommandDiagnosticsLogger Logger() => _logger ??= _context.GetService<IRelationalCommandDiagnosticsLogger>();

    private IConcurrencyDetector Concurrency() => _concurrency ??= _context.GetService<IConcurrencyDetector>();

    // A non-retrying strategy holds no state and is reused; a retrying one (the host's EnableRetryOnFailure) is fresh per operation.
    private IExecutionStrategy Strategy()
    {
        if (_nonRetrying is not null)
        {
            return _nonRetrying;
        }

        var strategy = _context.GetService<IExecutionStrategyFactory>().Create();
        if (!strategy.RetriesOnFailure)
        {
            _nonRetrying = strategy;
        }

        return strategy;
    }

    private const string BulkAlias = "vip_t.";

    private async Task<List<long>> QueryIdsAsync<TState>(long key, TState state, Action<W, TState> compose, CancellationToken cancellationToken)
    {
        var statements = _statements!;
        // A writer per call: its values must stay this call's even if a host misuses the context concurrently (EF's
        // concurrency detector then throws for the second call, but only once it executes).
        var writer = new W(statements, build: false);
        compose(writer, state);
        var statement = statements.Get(key, state, compose);
        var values = new VipEntryStatements.ParameterValues(writer.Values);
        var strategy = Strategy();
        if (!strategy.RetriesOnFailure)
        {
            return await ReadIdsAsync(statement, values, cancellationToken).ConfigureAwait(false);
        }

        return await strategy.ExecuteAsync(
                (Store: this, Statement: statement, Values: values),
                static (_, s, ct) => s.Store.ReadIdsAsync(s.Statement, s.Values, ct),
                null,
                cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<List<long>> ReadIdsAsync(VipEntryStatements.Statement statement, VipEntryStatements.ParameterValues values, CancellationToken cancellationToken)
    {
        var statements = _statements!;
        var id = _map.IdProperty;
        using (Concurrency().EnterCriticalSection())
        {
            var ids = new List<long>();
            var reader = await ReaderCommand(statement)
                .ExecuteReaderAsync(new RelationalCommandParameterObject(Connection(), values, null, _context, Logger(), CommandSource.ExecuteUpdate), cancellationToken)
                .ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var data = reader.DbDataReader;
                while (await data.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    // The id as the host's model reads it: its column may hold text or another type through a value converter.
                    ids.Add((long)statements.Read(data, 0, id)!);
                }
            }

            return ids;
        }
    }

    // The columns of a row in VipEntryRow's order (RETURNING or SELECT), read back by ReadRowsAsync.
    private static readonly string[] RowProperties = [Stage, Hash, Issued, Link, Lapse, Claim, Lease, LapseLink, Entered, StageNudged, GrantNudged];

    private static void ReturnRow(W w, VipEntryEntityMapping map)
    {
        w.Col(map.IdProperty).Text(", ").Col(map.EndProperty);
        foreach (var property in RowProperties)
        {
            w.Text(", ").Col(property);
        }
    }

    private async Task<List<VipEntryRow>> QueryRowsAsync<TState>(long key, TState state, Action<W, TState> compose, CancellationToken cancellationToken)
    {
        var statements = _statements!;
        var writer = new W(statements, build: false);
        compose(writer, state);
        var statement = statements.Get(key, state, compose);
        var values = new VipEntryStatements.ParameterValues(writer.Values);
        var strategy = Strategy();
        if (!strategy.RetriesOnFailure)
        {
            return await ReadRowsAsync(statement, values, cancellationToken).ConfigureAwait(false);
        }

        return await strategy.ExecuteAsync(
                (Store: this, Statement: statement, Values: values),
                static (_, s, ct) => s.Store.ReadRowsAsync(s.Statement, s.Values, ct),
                null,
                cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<List<VipEntryRow>> ReadRowsAsync(VipEntryStatements.Statement statement, VipEntryStatements.ParameterValues values, CancellationToken cancellationToken)
    {
        var s = _statements!;
        using (Concurrency().EnterCriticalSection())
        {
            var rows = new List<VipEntryRow>();
            var reader = await ReaderCommand(statement)
                .ExecuteReaderAsync(new RelationalCommandParameterObject(Connection(), values, null, _context, Logger(), CommandSource.ExecuteUpdate), cancellationToken)
                .ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var d = reader.DbDataReader;
                while (await d.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    // Each value as the host's model reads it (its converters), as EF's own queries read it.
                    rows.Add(new VipEntryRow(
                        (long)s.Read(d, 0, _id)!,
                        (DateTimeOffset)s.Read(d, 1, _end)!,
                        (int?)s.Read(d, 2, Stage),
                        (string?)s.Read(d, 3, Hash),
                        (DateTimeOffset?)s.Read(d, 4, Issued),
                        (string?)s.Read(d, 5, Link),
                        (DateTimeOffset?)s.Read(d, 6, Lapse),
                        (string?)s.Read(d, 7, Claim),
                        (DateTimeOffset?)s.Read(d, 8, Lease),
                        (string?)s.Read(d, 9, LapseLink),
                        (DateTimeOffset?)s.Read(d, 10, Entered),
                        (DateTimeOffset?)s.Read(d, 11, StageNudged),
                        (DateTimeOffset?)s.Read(d, 12, GrantNudged)));
                }
            }

            return rows;
        }
    }

    // A single-row compare-and-set takes its row by key whatever the statistics say: the key is the only condition the
    // planner can match to an index; the rest (stage, grant, link, lapse record, times) is one CASE the row is checked
    // against once found. With plain conjuncts PostgreSQL costs every indexed one (stage, token, lapse) against the key,
    // and after a bulk change its statistics no longer saw (thousands of rows moved to one stage, unanalyzed) it took the
    // stage index and filtered thousands of rows per call; a generic plan took the token index. Open with WhereRow, put
    // the conditions (joined by " AND "), close with EndRow. Same truth table: CASE … THEN 1 ELSE 0 END = 1 holds exactly
    // when the conditions are true (NULL counts as not true, as in a WHERE).
    private static W WhereRow(W w, VipEntryEntityMapping map, long subscriberId) =>
        w.Text(" WHERE ").Col(map.IdProperty).Text(" = ").Param(map.IdProperty, subscriberId).Text(" AND CASE WHEN ");

    private static W EndRow(W w) => w.Text(" THEN 1 ELSE 0 END = 1");

    // The row as read: same stage, grant and recorded link (see AsRead on the LINQ path); open: close with EndRow.
    private static void AsRead(W w, VipEntryEntityMapping map, VipEntryRecord expected) =>
        WhereRow(w, map, expected.SubscriberId)
            .Equal(Stage, VipEntryRow.ToStoredCondition(expected.Stage))
            .Text(" AND ").Equal(Hash, expected.GrantTokenHash)
            .Text(" AND ").Equal(Link, expected.GrantLink);

    private static void ClearLapse(W w) =>
        w.SetNull(Lapse).Text(", ").SetNull(Claim).Text(", ").SetNull(Lease).Text(", ").SetNull(LapseLink);

    private static void ClearGrant(W w) =>
        w.SetNull(Hash).Text(", ").SetNull(Issued).Text(", ").SetNull(Link).Text(", ").SetNull(GrantNudged);

    private static void ClearStageVisit(W w) =>
        w.SetNull(Entered).Text(", ").SetNull(StageNudged);

    // A restart's new stage-1 visit, its clock started at the given instant (R18), or unknown (NULL) when not given.
    private static void StartStageVisit(W w, DateTimeOffset? entered) =>
        w.Set(Entered, entered).Text(", ").SetNull(StageNudged);
}
