// Rules: R3, R4, R5, R6, R7, R8, R16 — ritual statements: advance, issue, record link, withdraw, redeem, skip.
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
    private Task<int> AdvanceStatementAsync(long subscriberId, int? from, int? target, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(
            OpAdvance,
            (Map: _map, Id: subscriberId, From: from, Target: target, Now: now),
            static (w, s) =>
            {
                w.Update().Set(Stage, s.Target).Text(", ").Set(Entered, s.Now).Text(", ").SetNull(StageNudged);
                WhereRow(w, s.Map, s.Id).Equal(Stage, s.From).Text(" AND ").Col(s.Map.EndProperty).Text(" > ").Param(s.Map.EndProperty, s.Now);
                EndRow(w);
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
                WhereRow(w, s.Map, s.Id).Equal(Stage, s.Stage)
                    .Text(" AND ").Col(s.Map.EndProperty).Text(" > ").Param(s.Map.EndProperty, s.Now)
                    .Text(" AND ").Equal(Hash, s.Expected);
                if (s.Expected is not null)
                {
                    // A grant without an issue time (written by hand or by another program) counts as expired.
                    w.Text(" AND (").Col(Issued).Text(" IS NULL OR ").Col(Issued).Text(" <= ").Param(Issued, s.Replace).Text(")");
                }

                EndRow(w);
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
                WhereRow(w, s.Map, s.Id).Equal(Hash, s.Hash).Text(" AND ").Col(Link).Text(" IS NULL");
                EndRow(w);
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
                WhereRow(w, s.Map, s.Id).Equal(Hash, s.Hash).Text(" AND ").Col(Link).Text(" IS NULL");
                EndRow(w);
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
                WhereRow(w, s.Map, s.Id).Equal(Stage, s.From)
                    .Text(" AND ").Equal(Hash, s.Hash)
                    .Text(" AND ").Col(Issued).Text(" > ").Param(Issued, s.After)
                    .Text(" AND ").Col(s.Map.EndProperty).Text(" > ").Param(s.Map.EndProperty, s.Now);
                EndRow(w);
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
                EndRow(w);
            },
            CommandSource.ExecuteUpdate,
            cancellationToken);
}
