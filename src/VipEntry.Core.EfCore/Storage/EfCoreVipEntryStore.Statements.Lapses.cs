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
