// Rules: R15 — the funnel statement.
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
}
