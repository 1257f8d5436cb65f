// Rules: R8, R17 — lapse statements: claim and confirm.
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
                EndRow(w);
            },
            CommandSource.ExecuteUpdate,
            cancellationToken);

    // The batch claim (R17): UPDATE … WHERE <key> IN (<the oldest claimable keys, bounded>) AND <claimable> RETURNING the
    // row. The condition is written twice: in the bounded, ordered choice of candidates and again on each row the update
    // writes (re-checked on the row's latest version by PostgreSQL after a concurrent claimer committed; SQLite runs one
    // writer at a time). PostgreSQL: the candidates are locked FOR UPDATE SKIP LOCKED, so two sweeps take disjoint rows,
    // and are an array computed once (as "IN (SELECT …)" the planner may rescan the subquery, and a rescan skips the rows
    // already locked and takes the next ones, exceeding the bound). The SET list reads the row's values before the update:
    // a first claim (no claim yet) moves the grant's link to the lapse's link and takes claimId; a re-claim keeps the link
    // and takes reclaimId. The batch size is part of the text (LIMIT takes no parameter of the id's mapping).
    private Task<List<VipEntryRow>> ClaimLapsesStatementAsync(string claimId, string reclaimId, DateTimeOffset now, DateTimeOffset leaseUntil, int maxCount, CancellationToken cancellationToken) =>
        QueryRowsAsync(
            ((long)OpClaimLapses << 32) | (uint)maxCount,
            (Map: _map, Claim: claimId, Reclaim: reclaimId, Now: now, Lease: leaseUntil, Max: maxCount, Postgres: _statements!.IsPostgres),
            static (w, s) =>
            {
                var id = s.Map.IdProperty;
                w.Update()
                    .Col(Claim).Text(" = CASE WHEN ").Col(Claim).Text(" IS NULL THEN ").Param(Claim, s.Claim).Text(" ELSE ").Param(Claim, s.Reclaim).Text(" END, ")
                    .Col(LapseLink).Text(" = CASE WHEN ").Col(Claim).Text(" IS NULL THEN ").Col(Link).Text(" ELSE ").Col(LapseLink).Text(" END, ")
                    .Set(Lease, s.Lease).Text(", ");
                ClearGrant(w);
                w.Text(" WHERE ").Col(id).Text(s.Postgres ? " = ANY(ARRAY(SELECT " : " IN (SELECT ").Col(id).Text(" FROM ").Text(w.Table).Text(" WHERE ");
                Claimable(w, s.Map, s.Now);
                w.Text(" ORDER BY ").Col(s.Map.EndProperty).Text(", ").Col(id)
                    .Text(" LIMIT ").Text(s.Max.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Text(s.Postgres ? " FOR UPDATE SKIP LOCKED)) AND " : ") AND ");
                Claimable(w, s.Map, s.Now);
                w.Text(" RETURNING ");
                ReturnRow(w, s.Map);
            },
            cancellationToken);

    private Task<int> ConfirmLapseStatementAsync(long subscriberId, string claimId, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(
            OpConfirmLapse,
            (Map: _map, Id: subscriberId, Claim: claimId, Now: now),
            static (w, s) =>
            {
                w.Update().Set(Lapse, s.Now).Text(", ").SetNull(Claim).Text(", ").SetNull(Lease).Text(", ").SetNull(LapseLink);
                WhereRow(w, s.Map, s.Id).Equal(Claim, s.Claim).Text(" AND ").Col(Lapse).Text(" IS NULL");
                EndRow(w);
            },
            CommandSource.ExecuteUpdate,
            cancellationToken);

    // Ended, not confirmed, and unclaimed or with a lease that ran out (R17).
    private static void Claimable(W w, VipEntryEntityMapping map, DateTimeOffset now) =>
        w.Col(Lapse).Text(" IS NULL AND ").Col(map.EndProperty).Text(" <= ").Param(map.EndProperty, now)
            .Text(" AND (").Col(Claim).Text(" IS NULL OR ").Col(Lease).Text(" <= ").Param(Lease, now).Text(")");
}
