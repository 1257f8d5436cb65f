// Rules: R1, R2, R18 — activation statements: insert and renew, single and bulk.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using W = VipEntry.Core.EfCore.VipEntryStatements.Writer;

namespace VipEntry.Core.EfCore;

internal sealed partial class EfCoreVipEntryStore<TContext, TEntity>
{
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
                EndRow(w);
            },
            CommandSource.ExecuteUpdate,
            cancellationToken);

    // Set-based bulk statements (SQLite and PostgreSQL: INSERT … ON CONFLICT DO NOTHING, UPDATE … FROM (VALUES …), RETURNING).
    private bool CanRunBulk => _statements is { IsPostgres: true } or { IsSqlite: true };

    // SQLite with the store's own id and end mappings: the batch is one JSON parameter ([[id, "stored end"], …]) read by
    // json_each, so the statement is one short constant text with two parameters instead of ~1,000 scalar ones that SQLite
    // compiles and EF creates per batch. The end is written in the stored form Microsoft.Data.Sqlite gives the converter's
    // UTC DateTime (the text every other statement compares against); a host mapping of its own takes the scalar path.
    private bool CanBindJsonBatch => _statements is { IsSqlite: true } s && s.IsOwnMapping(_map.IdProperty, instant: false) && s.IsOwnMapping(_map.EndProperty, instant: true);

    private Task<List<long>> CreateManyJsonStatementAsync(IReadOnlyList<Engine.VipEntryActivation> members, DateTimeOffset? entered, CancellationToken cancellationToken)
    {
        var json = new System.Text.StringBuilder((members.Count * 40) + 2).Append('[');
        for (var i = 0; i < members.Count; i++)
        {
            var end = UtcDateTimeOffsetConverter.ToUtcDateTime(members[i].SubscriptionEndsAt);
            json.Append(i == 0 ? "[" : ",[").Append(members[i].SubscriberId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Append(",\"").Append(end.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture)).Append("\"]");
        }

        return QueryIdsAsync(
            (long)OpCreateManyJson << 32,
            (Map: _map, Json: json.Append(']').ToString(), Entered: entered),
            static (w, s) =>
            {
                w.Text("INSERT INTO ").Text(w.Table).Text(" (").Col(s.Map.IdProperty).Text(", ").Col(s.Map.EndProperty).Text(", ").Col(Stage).Text(", ").Col(Entered)
                    .Text(") SELECT value ->> 0, value ->> 1, 1, ").Param(Entered, s.Entered).Text(" FROM json_each(").TextParam(s.Json)
                    .Text(") WHERE true ON CONFLICT DO NOTHING RETURNING ").Col(s.Map.IdProperty);
            },
            cancellationToken);
    }

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
}
