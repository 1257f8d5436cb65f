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

    private readonly VipEntryStatements? _statements;
    private IRelationalConnection? _connection;
    private IRelationalCommandDiagnosticsLogger? _logger;
    private IConcurrencyDetector? _concurrency;
    private IExecutionStrategy? _nonRetrying;

    // One compare-and-set: bind (values and shape), find or build the statement, run it; the number of rows it changed.
    private async Task<int> RunAsync<TState>(int operation, TState state, Action<W, TState> compose, CommandSource source, CancellationToken cancellationToken)
    {
        var statements = _statements!;
        // A writer per call: its values must stay this call's even if a host misuses the context concurrently (EF's
        // concurrency detector then throws for the second call, but only once it executes).
        var writer = new W(statements, build: false);
        compose(writer, state);
        var statement = statements.Get(((long)operation << 32) | writer.Shape, state, compose);
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
            return await statement.Command
                .ExecuteNonQueryAsync(new RelationalCommandParameterObject(Connection(), values, null, _context, Logger(), source), cancellationToken)
                .ConfigureAwait(false);
        }
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

    private Task<int> InsertStatementAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, DateTimeOffset? entered, CancellationToken cancellationToken) =>
        RunAsync(
            OpInsert,
            (Map: _map, Id: subscriberId, End: subscriptionEndsAt, Entered: entered),
            static (w, s) => w.Text("INSERT INTO ").Text(w.Table).Text(" (").Col(s.Map.IdProperty).Text(", ").Col(s.Map.EndProperty).Text(", ").Col(Stage).Text(", ").Col(Entered)
                .Text(") VALUES (").Param(s.Map.IdProperty, s.Id).Text(", ").Param(s.Map.EndProperty, s.End).Text(", 1, ").Param(Entered, s.Entered).Text(")"),
            CommandSource.ExecuteSqlRaw,
            cancellationToken);

    private Task<int> RenewStatementAsync(VipEntryRecord expected, DateTimeOffset subscriptionEndsAt, bool restart, DateTimeOffset? entered, CancellationToken cancellationToken) =>
        RunAsync(
            OpRenew,
            (Map: _map, Expected: expected, End: subscriptionEndsAt, Restart: restart, Entered: entered),
            static (w, s) =>
            {
                w.Update().Set(s.Map.EndProperty, s.End).Text(", ");
                ClearLapse(w);
                if (w.Flag(s.Restart))
                {
                    w.Text(", ").Col(Stage).Text(" = 1, ");
                    StartStageVisit(w, s.Entered);
                    w.Text(", ");
                    ClearGrant(w);
                }

                AsRead(w, s.Map, s.Expected);
                w.Text(" AND ").Equal(Lapse, s.Expected.LapseHandledAt).Text(" AND ").Equal(Claim, s.Expected.LapseClaimId);
            },
            CommandSource.ExecuteUpdate,
            cancellationToken);

    private Task<int> AdvanceStatementAsync(long subscriberId, int? from, int? target, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(
            OpAdvance,
            (Map: _map, Id: subscriberId, From: from, Target: target, Now: now),
            static (w, s) =>
            {
                w.Update().Set(Stage, s.Target).Text(", ").Set(Entered, s.Now).Text(", ").SetNull(StageNudged);
                WhereRow(w, s.Map, s.Id).Text(" AND ").Equal(Stage, s.From).Text(" AND ").Col(s.Map.EndProperty).Text(" > ").Param(s.Map.EndProperty, s.Now);
            },
            CommandSource.ExecuteUpdate,
            cancellationToken);

    private Task<int> IssueStatementAsync(long subscriberId, int? stage, string? expectedTokenHash, string newTokenHash, DateTimeOffset now, DateTimeOffset replaceIssuedAtOrBefore, CancellationToken cancellationToken) =>
        RunAsync(
            OpIssue,
            (Map: _map, Id: subscriberId, Stage: stage, Expected: expectedTokenHash, New: newTokenHash, Now: now, Replace: replaceIssuedAtOrBefore),
            static (w, s) =>
            {
                w.Update().Set(Hash, s.New).Text(", ").Set(Issued, s.Now).Text(", ").SetNull(Link).Text(", ").SetNull(GrantNudged);
                WhereRow(w, s.Map, s.Id).Text(" AND ").Equal(Stage, s.Stage)
                    .Text(" AND ").Col(s.Map.EndProperty).Text(" > ").Param(s.Map.EndProperty, s.Now)
                    .Text(" AND ").Equal(Hash, s.Expected);
                if (s.Expected is not null)
                {
                    // A grant without an issue time (written by hand or by another program) counts as expired.
                    w.Text(" AND (").Col(Issued).Text(" IS NULL OR ").Col(Issued).Text(" <= ").Param(Issued, s.Replace).Text(")");
                }
            },
            CommandSource.ExecuteUpdate,
            cancellationToken);

    private Task<int> RecordLinkStatementAsync(long subscriberId, string tokenHash, string link, CancellationToken cancellationToken) =>
        RunAsync(
            OpRecordLink,
            (Map: _map, Id: subscriberId, Hash: tokenHash, Link: link),
            static (w, s) =>
            {
                w.Update().Set(Link, s.Link);
                WhereRow(w, s.Map, s.Id).Text(" AND ").Equal(Hash, s.Hash).Text(" AND ").Col(Link).Text(" IS NULL");
            },
            CommandSource.ExecuteUpdate,
            cancellationToken);

    private Task<int> WithdrawStatementAsync(long subscriberId, string tokenHash, CancellationToken cancellationToken) =>
        RunAsync(
            OpWithdraw,
            (Map: _map, Id: subscriberId, Hash: tokenHash),
            static (w, s) =>
            {
                w.Update();
                ClearGrant(w);
                WhereRow(w, s.Map, s.Id).Text(" AND ").Equal(Hash, s.Hash).Text(" AND ").Col(Link).Text(" IS NULL");
            },
            CommandSource.ExecuteUpdate,
            cancellationToken);

    private Task<int> RedeemStatementAsync(long subscriberId, int? from, string tokenHash, DateTimeOffset now, DateTimeOffset issuedAfter, CancellationToken cancellationToken) =>
        RunAsync(
            OpRedeem,
            (Map: _map, Id: subscriberId, From: from, Hash: tokenHash, Now: now, After: issuedAfter),
            static (w, s) =>
            {
                w.Update().SetNull(Stage).Text(", ");
                ClearStageVisit(w);
                w.Text(", ");
                ClearGrant(w);
                WhereRow(w, s.Map, s.Id).Text(" AND ").Equal(Stage, s.From)
                    .Text(" AND ").Equal(Hash, s.Hash)
                    .Text(" AND ").Col(Issued).Text(" > ").Param(Issued, s.After)
                    .Text(" AND ").Col(s.Map.EndProperty).Text(" > ").Param(s.Map.EndProperty, s.Now);
            },
            CommandSource.ExecuteUpdate,
            cancellationToken);

    private Task<int> SkipStatementAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(
            OpSkip,
            (Map: _map, Expected: expected, Now: now),
            static (w, s) =>
            {
                w.Update().SetNull(Stage).Text(", ");
                ClearStageVisit(w);
                w.Text(", ");
                ClearGrant(w);
                AsRead(w, s.Map, s.Expected);
                w.Text(" AND ").Col(s.Map.EndProperty).Text(" > ").Param(s.Map.EndProperty, s.Now);
            },
            CommandSource.ExecuteUpdate,
            cancellationToken);

    private Task<int> ClaimLapseStatementAsync(VipEntryRecord expected, string claimId, string? lapseLink, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        RunAsync(
            OpClaimLapse,
            (Map: _map, Expected: expected, Claim: claimId, LapseLink: lapseLink, Now: now, Lease: leaseUntil),
            static (w, s) =>
            {
                w.Update().Set(Claim, s.Claim).Text(", ").Set(Lease, s.Lease).Text(", ").Set(LapseLink, s.LapseLink).Text(", ");
                ClearGrant(w);
                AsRead(w, s.Map, s.Expected);
                w.Text(" AND ").Equal(Claim, s.Expected.LapseClaimId).Text(" AND ");
                Claimable(w, s.Map, s.Now);
            },
            CommandSource.ExecuteUpdate,
            cancellationToken);

    private Task<int> ConfirmLapseStatementAsync(long subscriberId, string claimId, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(
            OpConfirmLapse,
            (Map: _map, Id: subscriberId, Claim: claimId, Now: now),
            static (w, s) =>
            {
                w.Update().Set(Lapse, s.Now).Text(", ").SetNull(Claim).Text(", ").SetNull(Lease).Text(", ").SetNull(LapseLink);
                WhereRow(w, s.Map, s.Id).Text(" AND ").Equal(Claim, s.Claim).Text(" AND ").Col(Lapse).Text(" IS NULL");
            },
            CommandSource.ExecuteUpdate,
            cancellationToken);

    // Unknown entry (entered null): starts the visit's clock; otherwise hands out the stage nudge.
    private Task<int> ClaimIdleStatementAsync(long subscriberId, int? stage, DateTimeOffset? entered, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(
            OpClaimIdle,
            (Map: _map, Id: subscriberId, Stage: stage, Entered: entered, Now: now),
            static (w, s) =>
            {
                w.Update().Set(w.Flag(s.Entered is null) ? Entered : StageNudged, s.Now);
                WhereRow(w, s.Map, s.Id).Text(" AND ").Equal(Stage, s.Stage)
                    .Text(" AND ").Equal(Entered, s.Entered)
                    .Text(" AND ").Col(StageNudged).Text(" IS NULL")
                    .Text(" AND ").Col(s.Map.EndProperty).Text(" > ").Param(s.Map.EndProperty, s.Now);
            },
            CommandSource.ExecuteUpdate,
            cancellationToken);

    private Task<int> ClaimGrantNudgeStatementAsync(long subscriberId, string hash, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(
            OpClaimGrantNudge,
            (Map: _map, Id: subscriberId, Hash: hash, Now: now),
            static (w, s) =>
            {
                w.Update().Set(GrantNudged, s.Now);
                WhereRow(w, s.Map, s.Id).Text(" AND ").Equal(Hash, s.Hash)
                    .Text(" AND ").Col(GrantNudged).Text(" IS NULL")
                    .Text(" AND ").Col(s.Map.EndProperty).Text(" > ").Param(s.Map.EndProperty, s.Now);
            },
            CommandSource.ExecuteUpdate,
            cancellationToken);

    // The funnel: one GROUP BY read through EF's command pipeline.
    private async Task<IReadOnlyDictionary<VipEntryStage, int>> FunnelStatementAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var statements = _statements!;
        var writer = new W(statements, build: false);
        static void Compose(W w, (VipEntryEntityMapping Map, DateTimeOffset Now) s) =>
            w.Text("SELECT ").Col(Stage).Text(", COUNT(*) FROM ").Text(w.Table)
                .Text(" WHERE ").Col(s.Map.EndProperty).Text(" > ").Param(s.Map.EndProperty, s.Now)
                .Text(" GROUP BY ").Col(Stage);
        var state = (Map: _map, Now: now);
        writer.Reset();
        Compose(writer, state);
        var statement = statements.Get((long)OpFunnel << 32, state, Compose);
        var values = new VipEntryStatements.ParameterValues(writer.Values);
        using (Concurrency().EnterCriticalSection())
        {
            var counts = new Dictionary<VipEntryStage, int>();
            var reader = await statement.Command
                .ExecuteReaderAsync(new RelationalCommandParameterObject(Connection(), values, null, _context, Logger(), CommandSource.LinqQuery), cancellationToken)
                .ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var data = reader.DbDataReader;
                while (await data.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    // The stage through its property's mapping; the count is COUNT(*)'s bigint, no property's.
                    var stage = VipEntryRow.ToStage((int?)statements.Read(data, 0, Stage));
                    counts[stage] = checked((int)data.GetInt64(1));
                }
            }

            return counts;
        }
    }

    // Set-based bulk statements (SQLite and PostgreSQL: INSERT … ON CONFLICT DO NOTHING, UPDATE … FROM (VALUES …), RETURNING).
    private bool CanRunBulk => _statements is { IsPostgres: true } or { IsSqlite: true };

    private Task<List<long>> CreateManyStatementAsync(IReadOnlyList<Engine.VipEntryActivation> members, DateTimeOffset? entered, CancellationToken cancellationToken) =>
        QueryIdsAsync(
            ((long)OpCreateMany << 32) | (uint)members.Count,
            (Map: _map, Members: members, Entered: entered),
            static (w, s) =>
            {
                w.Text("INSERT INTO ").Text(w.Table).Text(" (").Col(s.Map.IdProperty).Text(", ").Col(s.Map.EndProperty).Text(", ").Col(Stage).Text(", ").Col(Entered).Text(") VALUES ");
                for (var i = 0; i < s.Members.Count; i++)
                {
                    w.Text(i == 0 ? "(" : ", (").Param(s.Map.IdProperty, s.Members[i].SubscriberId).Text(", ").Param(s.Map.EndProperty, s.Members[i].SubscriptionEndsAt)
                        .Text(", 1, ").Param(Entered, s.Entered).Text(")");
                }

                w.Text(" ON CONFLICT DO NOTHING RETURNING ").Col(s.Map.IdProperty);
            },
            cancellationToken);

    // Each row's conditions are TryRenewAsync's (stage, grant, link, lapse record and claim as read), compared NULL-safely
    // against the row's values; the SET list is TryRenewAsync's. All renewals of one statement share the restart choice.
    private Task<List<long>> RenewManyStatementAsync(List<VipEntryRenewal> renewals, bool restart, DateTimeOffset? entered, CancellationToken cancellationToken) =>
        QueryIdsAsync(
            ((long)OpRenewMany << 32) | ((uint)renewals.Count << 1) | (restart ? 1u : 0u),
            (Map: _map, Renewals: renewals, Restart: restart, Entered: entered, Same: _statements!.IsPostgres ? " IS NOT DISTINCT FROM " : " IS "),
            static (w, s) =>
            {
                w.Text("UPDATE ").Text(w.Table).Text(" AS vip_t SET ").Col(s.Map.EndProperty).Text(" = v.column2, ");
                ClearLapse(w);
                if (s.Restart)
                {
                    w.Text(", ").Col(Stage).Text(" = 1, ");
                    StartStageVisit(w, s.Entered);
                    w.Text(", ");
                    ClearGrant(w);
                }

                w.Text(" FROM (VALUES ");
                for (var i = 0; i < s.Renewals.Count; i++)
                {
                    var r = s.Renewals[i];
                    var e = r.Expected;
                    w.Text(i == 0 ? "(" : ", (").Param(s.Map.IdProperty, e.SubscriberId)
                        .Text(", ").Param(s.Map.EndProperty, r.SubscriptionEndsAt)
                        .Text(", ").Param(Stage, VipEntryRow.ToStoredCondition(e.Stage))
                        .Text(", ").Param(Hash, e.GrantTokenHash)
                        .Text(", ").Param(Link, e.GrantLink)
                        .Text(", ").Param(Lapse, e.LapseHandledAt)
                        .Text(", ").Param(Claim, e.LapseClaimId).Text(")");
                }

                w.Text(") AS v WHERE ").Text(BulkAlias).Col(s.Map.IdProperty).Text(" = v.column1");
                w.Text(" AND ").Text(BulkAlias).Col(Stage).Text(s.Same).Text("v.column3");
                w.Text(" AND ").Text(BulkAlias).Col(Hash).Text(s.Same).Text("v.column4");
                w.Text(" AND ").Text(BulkAlias).Col(Link).Text(s.Same).Text("v.column5");
                w.Text(" AND ").Text(BulkAlias).Col(Lapse).Text(s.Same).Text("v.column6");
                w.Text(" AND ").Text(BulkAlias).Col(Claim).Text(s.Same).Text("v.column7");
                w.Text(" RETURNING ").Col(s.Map.IdProperty); // unqualified: SQLite takes no alias there, and the VALUES columns are column1…
            },
            cancellationToken);

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
            var reader = await statement.Command
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

    private static W WhereRow(W w, VipEntryEntityMapping map, long subscriberId) =>
        w.Text(" WHERE ").Col(map.IdProperty).Text(" = ").Param(map.IdProperty, subscriberId);

    // The row as read: same stage, grant and recorded link (see AsRead on the LINQ path).
    private static void AsRead(W w, VipEntryEntityMapping map, VipEntryRecord expected) =>
        WhereRow(w, map, expected.SubscriberId)
            .Text(" AND ").Equal(Stage, VipEntryRow.ToStoredCondition(expected.Stage))
            .Text(" AND ").Equal(Hash, expected.GrantTokenHash)
            .Text(" AND ").Equal(Link, expected.GrantLink);

    // Ended, not confirmed, and unclaimed or with a lease that ran out (R17).
    private static void Claimable(W w, VipEntryEntityMapping map, DateTimeOffset now) =>
        w.Col(Lapse).Text(" IS NULL AND ").Col(map.EndProperty).Text(" <= ").Param(map.EndProperty, now)
            .Text(" AND (").Col(Claim).Text(" IS NULL OR ").Col(Lease).Text(" <= ").Param(Lease, now).Text(")");

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
