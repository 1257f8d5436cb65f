// Rules: R18 — nudge statements: idle and expiring-grant claims.
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
    // Unknown entry (entered null): starts the visit's clock; otherwise hands out the stage nudge.
    private Task<int> ClaimIdleStatementAsync(long subscriberId, int? stage, DateTimeOffset? entered, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(
            OpClaimIdle,
            (Map: _map, Id: subscriberId, Stage: stage, Entered: entered, Now: now),
            static (w, s) =>
            {
                w.Update().Set(w.Flag(s.Entered is null) ? Entered : StageNudged, s.Now);
                WhereRow(w, s.Map, s.Id).Equal(Stage, s.Stage)
                    .Text(" AND ").Equal(Entered, s.Entered)
                    .Text(" AND ").Col(StageNudged).Text(" IS NULL")
                    .Text(" AND ").Col(s.Map.EndProperty).Text(" > ").Param(s.Map.EndProperty, s.Now);
                EndRow(w);
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
                WhereRow(w, s.Map, s.Id).Equal(Hash, s.Hash)
                    .Text(" AND ").Col(GrantNudged).Text(" IS NULL")
                    .Text(" AND ").Col(s.Map.EndProperty).Text(" > ").Param(s.Map.EndProperty, s.Now);
                EndRow(w);
            },
            CommandSource.ExecuteUpdate,
            cancellationToken);
}
