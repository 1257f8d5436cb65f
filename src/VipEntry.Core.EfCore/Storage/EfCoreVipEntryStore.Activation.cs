// Rules: R1, R2, R18 — activation: create and renew, single and bulk.
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
    public ValueTask<bool> TryCreateAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, CancellationToken cancellationToken = default) =>
        CreateAsync(subscriberId, subscriptionEndsAt, entered: null, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> TryCreateAtAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        CreateAsync(subscriberId, subscriptionEndsAt, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> TryRenewAsync(VipEntryRecord expected, DateTimeOffset subscriptionEndsAt, bool restart, CancellationToken cancellationToken = default) =>
        RenewAsync(expected, subscriptionEndsAt, restart, entered: null, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> TryRenewAtAsync(VipEntryRecord expected, DateTimeOffset subscriptionEndsAt, bool restart, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        RenewAsync(expected, subscriptionEndsAt, restart, now, cancellationToken);

    // The stage-1 visit's entry time is written by the create and the restart themselves (R18), when the caller knows "now".
    private async ValueTask<bool> CreateAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, DateTimeOffset? entered, CancellationToken cancellationToken)
    {
        if (!_canInsert)
        {
            // A host-owned table: the host inserts its rows (which start at stage 1 by the column default).
            return false;
        }

        // Raw INSERT rather than SaveChanges: SaveChanges would also save whatever the host has pending in this context.
        if (_statements is not null)
        {
            return await OneRowUnlessTakenAsync(
                    () => InsertStatementAsync(subscriberId, subscriptionEndsAt, entered, cancellationToken),
                    () => new ValueTask<bool>(ExistsAsync(subscriberId, cancellationToken)),
                    cancellationToken)
                .ConfigureAwait(false);
        }

        var sql = _map.BuildInsertSql(_context.GetService<ISqlGenerationHelper>(), withStageEnteredAt: entered is not null);
        object[] values = entered is { } at
            ? [subscriberId, _map.ToProviderEnd(subscriptionEndsAt)!, 1, UtcDateTimeOffsetConverter.ToUtcDateTime(at)]
            : [subscriberId, _map.ToProviderEnd(subscriptionEndsAt)!, 1];
        return await OneRowUnlessTakenAsync(
                () => _context.Database.ExecuteSqlRawAsync(sql, values, cancellationToken),
                () => new ValueTask<bool>(ExistsAsync(subscriberId, cancellationToken)), // another writer created it first
                cancellationToken)
            .ConfigureAwait(false);
    }

    private async ValueTask<bool> RenewAsync(VipEntryRecord expected, DateTimeOffset subscriptionEndsAt, bool restart, DateTimeOffset? entered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (_statements is not null)
        {
            return await RenewStatementAsync(expected, subscriptionEndsAt, restart, entered, cancellationToken).ConfigureAwait(false) == 1;
        }

        var lapse = expected.LapseHandledAt;
        var claim = expected.LapseClaimId;
        var end = _end;

        // The lapse record and claim are part of the comparison: a renewal must not race a sweep that just claimed the
        // member. The end is not: see IVipEntryStore.TryRenewAsync.
        var changed = await AsRead(expected)
            .Where(e => EF.Property<DateTimeOffset?>(e, Lapse) == lapse && EF.Property<string?>(e, Claim) == claim)
            .ExecuteUpdateAsync(
                s =>
                {
                    s.SetProperty(e => EF.Property<DateTimeOffset>(e, end), subscriptionEndsAt);
                    ClearLapse(s);
                    if (restart)
                    {
                        s.SetProperty(e => EF.Property<int?>(e, Stage), 1)
                         .SetProperty(e => EF.Property<DateTimeOffset?>(e, Entered), entered)
                         .SetProperty(e => EF.Property<DateTimeOffset?>(e, StageNudged), (DateTimeOffset?)null);
                        ClearGrant(s);
                    }
                },
                cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyCollection<long>> TryCreateManyAsync(IReadOnlyList<Engine.VipEntryActivation> members, CancellationToken cancellationToken = default) =>
        CreateManyAsync(members, entered: null, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyCollection<long>> TryCreateManyAtAsync(IReadOnlyList<Engine.VipEntryActivation> members, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        CreateManyAsync(members, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyCollection<long>> TryRenewManyAsync(IReadOnlyList<VipEntryRenewal> renewals, CancellationToken cancellationToken = default) =>
        RenewManyAsync(renewals, entered: null, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyCollection<long>> TryRenewManyAtAsync(IReadOnlyList<VipEntryRenewal> renewals, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        RenewManyAsync(renewals, now, cancellationToken);

    private async ValueTask<IReadOnlyCollection<long>> CreateManyAsync(IReadOnlyList<Engine.VipEntryActivation> members, DateTimeOffset? entered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (!_canInsert || members.Count == 0)
        {
            return [];
        }

        if (CanRunBulk)
        {
            // ON CONFLICT DO NOTHING: a subscriber another writer created first is simply not returned (no savepoint needed).
            return CanBindJsonBatch
                ? await CreateManyJsonStatementAsync(members, entered, cancellationToken).ConfigureAwait(false)
                : await CreateManyStatementAsync(members, entered, cancellationToken).ConfigureAwait(false);
        }

        var created = new List<long>(members.Count);
        foreach (var member in members)
        {
            if (await CreateAsync(member.SubscriberId, member.SubscriptionEndsAt, entered, cancellationToken).ConfigureAwait(false))
            {
                created.Add(member.SubscriberId);
            }
        }

        return created;
    }

    private async ValueTask<IReadOnlyCollection<long>> RenewManyAsync(IReadOnlyList<VipEntryRenewal> renewals, DateTimeOffset? entered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(renewals);
        var renewed = new List<long>(renewals.Count);
        if (CanRunBulk)
        {
            foreach (var restart in (bool[])[false, true])
            {
                var group = renewals.Where(r => r.Restart == restart).ToList();
                if (group.Count > 0)
                {
                    renewed.AddRange(await RenewManyStatementAsync(group, restart, entered, cancellationToken).ConfigureAwait(false));
                }
            }

            return renewed;
        }

        foreach (var renewal in renewals)
        {
            if (await RenewAsync(renewal.Expected, renewal.SubscriptionEndsAt, renewal.Restart, entered, cancellationToken).ConfigureAwait(false))
            {
                renewed.Add(renewal.Expected.SubscriberId);
            }
        }

        return renewed;
    }
}
