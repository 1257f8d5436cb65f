// Rules: R15 — the funnel count per stage.
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore;

internal sealed partial class EfCoreVipEntryStore<TContext, TEntity>
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<VipEntryStage, int>> CountByStageAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (_statements is not null)
        {
            return await FunnelStatementAsync(now, cancellationToken).ConfigureAwait(false);
        }

        var end = _end;
        var groups = await Rows
            .Where(e => EF.Property<DateTimeOffset>(e, end) > now)
            .GroupBy(e => EF.Property<int?>(e, Stage))
            .Select(g => new { Stage = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return groups.ToDictionary(g => VipEntryRow.ToStage(g.Stage), g => g.Count);
    }
}
