// Rules: R18 — nudges: idle members, expiring grants, their claims.
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
    public async ValueTask<IReadOnlyList<VipEntryRecord>> ListIdleAsync(DateTimeOffset now, DateTimeOffset enteredAtOrBefore, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var end = _end;
        var id = _id;
        var rows = await Project(Rows
                .Where(e => EF.Property<int?>(e, Stage) != null
                    && EF.Property<DateTimeOffset>(e, end) > now
                    && EF.Property<DateTimeOffset?>(e, StageNudged) == null
                    && (EF.Property<DateTimeOffset?>(e, Entered) == null || EF.Property<DateTimeOffset?>(e, Entered) <= enteredAtOrBefore))
                .OrderBy(e => EF.Property<DateTimeOffset?>(e, Entered) != null)
                .ThenBy(e => EF.Property<DateTimeOffset?>(e, Entered))
                .ThenBy(e => EF.Property<long>(e, id))
                .Take(maxCount))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToRecord());
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryClaimIdleNudgeAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (expected.Stage is not (VipEntryStage.ActivationConfirmation or VipEntryStage.ExpectationAlignment or VipEntryStage.AccessDelivery))
        {
            return false;
        }

        var stage = VipEntryRow.ToStoredCondition(expected.Stage);
        var entered = expected.StageEnteredAt;
        if (_statements is not null)
        {
            var claimed = await ClaimIdleStatementAsync(expected.SubscriberId, stage, entered, now, cancellationToken).ConfigureAwait(false) == 1;
            return entered is not null && claimed;
        }

        var end = _end;
        var row = Row(expected.SubscriberId).Where(e => EF.Property<int?>(e, Stage) == stage
            && EF.Property<DateTimeOffset?>(e, Entered) == entered
            && EF.Property<DateTimeOffset?>(e, StageNudged) == null
            && EF.Property<DateTimeOffset>(e, end) > now);
        if (entered is null)
        {
            // Unknown entry (a row written outside VipEntry): start the visit's clock; nothing is handed out.
            await row.ExecuteUpdateAsync(s => s.SetProperty(e => EF.Property<DateTimeOffset?>(e, Entered), now), cancellationToken).ConfigureAwait(false);
            return false;
        }

        var changed = await row
            .ExecuteUpdateAsync(s => s.SetProperty(e => EF.Property<DateTimeOffset?>(e, StageNudged), now), cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<VipEntryRecord>> ListExpiringGrantsAsync(DateTimeOffset now, DateTimeOffset issuedAfter, DateTimeOffset issuedAtOrBefore, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var end = _end;
        var id = _id;
        var rows = await Project(Rows
                .Where(e => EF.Property<string?>(e, Hash) != null
                    && EF.Property<DateTimeOffset?>(e, Issued) > issuedAfter
                    && EF.Property<DateTimeOffset?>(e, Issued) <= issuedAtOrBefore
                    && EF.Property<DateTimeOffset?>(e, GrantNudged) == null
                    && EF.Property<DateTimeOffset>(e, end) > now)
                .OrderBy(e => EF.Property<DateTimeOffset?>(e, Issued))
                .ThenBy(e => EF.Property<long>(e, id))
                .Take(maxCount))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToRecord());
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryClaimGrantNudgeAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var hash = expected.GrantTokenHash;
        if (hash is null)
        {
            return false;
        }

        if (_statements is not null)
        {
            return await ClaimGrantNudgeStatementAsync(expected.SubscriberId, hash, now, cancellationToken).ConfigureAwait(false) == 1;
        }

        var end = _end;
        var changed = await Row(expected.SubscriberId)
            .Where(e => EF.Property<string?>(e, Hash) == hash
                && EF.Property<DateTimeOffset?>(e, GrantNudged) == null
                && EF.Property<DateTimeOffset>(e, end) > now)
            .ExecuteUpdateAsync(s => s.SetProperty(e => EF.Property<DateTimeOffset?>(e, GrantNudged), now), cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }
}
