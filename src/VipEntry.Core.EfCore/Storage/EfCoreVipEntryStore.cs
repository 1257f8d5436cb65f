using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore;

/// <summary>
/// The EF Core store. Every <c>Try…</c> is one SQL statement: an <c>UPDATE … WHERE</c> (via <c>ExecuteUpdate</c>) whose
/// condition carries the expected state and the <c>now</c> comparisons, true only when exactly one row changed; the
/// create is one <c>INSERT</c>. The host's change tracker is never used, so pending host changes are never saved by it.
/// </summary>
/// <typeparam name="TContext">The host's context.</typeparam>
/// <typeparam name="TEntity">The entity that carries the ritual.</typeparam>
internal sealed partial class EfCoreVipEntryStore<TContext, TEntity> : IVipEntryStore
    where TContext : DbContext
    where TEntity : class
{
    private const string Stage = VipEntryPropertyNames.Stage;
    private const string Hash = VipEntryPropertyNames.TokenHash;
    private const string Issued = VipEntryPropertyNames.IssuedAt;
    private const string Link = VipEntryPropertyNames.InviteLink;
    private const string Lapse = VipEntryPropertyNames.LapseHandledAt;
    private const string Claim = VipEntryPropertyNames.LapseClaim;
    private const string Lease = VipEntryPropertyNames.LapseLeaseUntil;
    private const string LapseLink = VipEntryPropertyNames.LapseLink;
    private const string Entered = VipEntryPropertyNames.StageEnteredAt;
    private const string StageNudged = VipEntryPropertyNames.StageNudgedAt;
    private const string GrantNudged = VipEntryPropertyNames.GrantNudgedAt;

    private readonly TContext _context;
    private readonly VipEntryEntityMapping _map;
    private readonly bool _canInsert;
    private readonly string _id;
    private readonly string _end;

    /// <summary>Creates the store over <paramref name="context"/>.</summary>
    /// <param name="context">The host's context (scoped).</param>
    /// <param name="canInsert">Whether <see cref="TryCreateAsync"/> inserts rows (the ready-made entity) or the host owns inserts.</param>
    public EfCoreVipEntryStore(TContext context, bool canInsert)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _map = VipEntryEntityMapping.Resolve(context, typeof(TEntity));
        _canInsert = canInsert;
        _id = _map.IdProperty;
        _end = _map.EndProperty;
        _statements = VipEntryStatements.For(context, _map);
    }

    private IQueryable<TEntity> Rows => _context.Set<TEntity>().AsNoTracking();

    /// <inheritdoc />
    public async ValueTask<VipEntryRecord?> FindAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        var row = await Project(Row(subscriberId)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row?.ToRecord();
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryRecord?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        var row = await Project(Rows.Where(e => EF.Property<string?>(e, Hash) == tokenHash)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row?.ToRecord();
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryRecord?> FindByLinkAsync(string link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        var row = await Project(Rows.Where(e => EF.Property<string?>(e, Link) == link)).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row?.ToRecord();
    }

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
    public async ValueTask<bool> TryAdvanceAsync(long subscriberId, VipEntryStage from, VipEntryStage target, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var fromValue = VipEntryRow.ToStoredCondition(from);
        var targetValue = VipEntryRow.ToStored(target);
        if (_statements is not null)
        {
            return await AdvanceStatementAsync(subscriberId, fromValue, targetValue, now, cancellationToken).ConfigureAwait(false) == 1;
        }

        var end = _end;
        var changed = await Row(subscriberId)
            .Where(e => EF.Property<int?>(e, Stage) == fromValue && EF.Property<DateTimeOffset>(e, end) > now)
            .ExecuteUpdateAsync(
                s => s.SetProperty(e => EF.Property<int?>(e, Stage), targetValue)
                      .SetProperty(e => EF.Property<DateTimeOffset?>(e, Entered), now)
                      .SetProperty(e => EF.Property<DateTimeOffset?>(e, StageNudged), (DateTimeOffset?)null),
                cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryIssueGrantAsync(long subscriberId, VipEntryStage stage, string? expectedTokenHash, string newTokenHash, DateTimeOffset now, DateTimeOffset replaceIssuedAtOrBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newTokenHash);
        if (stage is not (VipEntryStage.AccessDelivery or VipEntryStage.Completed))
        {
            return false;
        }

        var stageValue = VipEntryRow.ToStoredCondition(stage);
        if (_statements is not null)
        {
            return await OneRowUnlessTakenAsync(
                    () => IssueStatementAsync(subscriberId, stageValue, expectedTokenHash, newTokenHash, now, replaceIssuedAtOrBefore, cancellationToken),
                    async () => await FindByTokenHashAsync(newTokenHash, cancellationToken).ConfigureAwait(false) is not null,
                    cancellationToken)
                .ConfigureAwait(false);
        }

        var end = _end;
        var query = Row(subscriberId).Where(e => EF.Property<int?>(e, Stage) == stageValue
            && EF.Property<DateTimeOffset>(e, end) > now
            && EF.Property<string?>(e, Hash) == expectedTokenHash);
        if (expectedTokenHash is not null)
        {
            // A grant without an issue time (written by hand or by another program) counts as expired.
            query = query.Where(e => EF.Property<DateTimeOffset?>(e, Issued) == null || EF.Property<DateTimeOffset?>(e, Issued) <= replaceIssuedAtOrBefore);
        }

        return await OneRowUnlessTakenAsync(
                () => query.ExecuteUpdateAsync(
                    s =>
                    {
                        s.SetProperty(e => EF.Property<string?>(e, Hash), newTokenHash)
                         .SetProperty(e => EF.Property<DateTimeOffset?>(e, Issued), now)
                         .SetProperty(e => EF.Property<string?>(e, Link), (string?)null)
                         .SetProperty(e => EF.Property<DateTimeOffset?>(e, GrantNudged), (DateTimeOffset?)null);
                    },
                    cancellationToken),
                async () => await FindByTokenHashAsync(newTokenHash, cancellationToken).ConfigureAwait(false) is not null, // the hash is some grant's already
                cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryRecordLinkAsync(long subscriberId, string tokenHash, string link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        ArgumentNullException.ThrowIfNull(link);
        if (link.Length > VipEntryPropertyNames.MaxInviteLinkLength)
        {
            return false;
        }

        if (_statements is not null)
        {
            return await OneRowUnlessTakenAsync(
                    () => RecordLinkStatementAsync(subscriberId, tokenHash, link, cancellationToken),
                    async () => await FindByLinkAsync(link, cancellationToken).ConfigureAwait(false) is not null,
                    cancellationToken)
                .ConfigureAwait(false);
        }

        return await OneRowUnlessTakenAsync(
                () => Row(subscriberId)
                    .Where(e => EF.Property<string?>(e, Hash) == tokenHash && EF.Property<string?>(e, Link) == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => EF.Property<string?>(e, Link), link), cancellationToken),
                async () => await FindByLinkAsync(link, cancellationToken).ConfigureAwait(false) is not null, // the link is some grant's already
                cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryWithdrawGrantAsync(long subscriberId, string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        if (_statements is not null)
        {
            return await WithdrawStatementAsync(subscriberId, tokenHash, cancellationToken).ConfigureAwait(false) == 1;
        }

        var changed = await Row(subscriberId)
            .Where(e => EF.Property<string?>(e, Hash) == tokenHash && EF.Property<string?>(e, Link) == null)
            .ExecuteUpdateAsync(s => ClearGrant(s), cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryRedeemAsync(long subscriberId, VipEntryStage from, string tokenHash, DateTimeOffset now, DateTimeOffset issuedAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        if (from is not (VipEntryStage.AccessDelivery or VipEntryStage.Completed))
        {
            return false;
        }

        var fromValue = VipEntryRow.ToStoredCondition(from);
        if (_statements is not null)
        {
            return await RedeemStatementAsync(subscriberId, fromValue, tokenHash, now, issuedAfter, cancellationToken).ConfigureAwait(false) == 1;
        }

        var end = _end;
        var changed = await Row(subscriberId)
            .Where(e => EF.Property<int?>(e, Stage) == fromValue
                && EF.Property<string?>(e, Hash) == tokenHash
                && EF.Property<DateTimeOffset?>(e, Issued) > issuedAfter
                && EF.Property<DateTimeOffset>(e, end) > now)
            .ExecuteUpdateAsync(
                s =>
                {
                    s.SetProperty(e => EF.Property<int?>(e, Stage), (int?)null);
                    ClearStageVisit(s);
                    ClearGrant(s);
                },
                cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TrySkipAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (_statements is not null)
        {
            return await SkipStatementAsync(expected, now, cancellationToken).ConfigureAwait(false) == 1;
        }

        var end = _end;
        var changed = await AsRead(expected)
            .Where(e => EF.Property<DateTimeOffset>(e, end) > now)
            .ExecuteUpdateAsync(
                s =>
                {
                    s.SetProperty(e => EF.Property<int?>(e, Stage), (int?)null);
                    ClearStageVisit(s);
                    ClearGrant(s);
                },
                cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<VipEntryRecord>> ListClaimableLapsesAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var rows = await Project(ClaimableLapses(now).Take(maxCount)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToRecord());
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryClaimLapseAsync(VipEntryRecord expected, string claimId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        var claim = expected.LapseClaimId;

        // The first claim moves the grant's link to the lapse; a re-claim keeps the link the first one moved. Both are
        // known from the read, which the condition pins (grant, link and claim as read).
        var lapseLink = claim is null ? expected.GrantLink : expected.LapseLink;
        if (_statements is not null)
        {
            return await ClaimLapseStatementAsync(expected, claimId, lapseLink, now, leaseUntil, cancellationToken).ConfigureAwait(false) == 1;
        }


        // No equality on the end time: a host may have written it in another text form (SQLite); "still ended, same
        // stage, grant, link and claim, claimable now" is the whole condition, and a renewal in between moves the end.
        var changed = await AsRead(expected)
            .Where(e => EF.Property<string?>(e, Claim) == claim)
            .Where(Claimable(now))
            .ExecuteUpdateAsync(
                s =>
                {
                    s.SetProperty(e => EF.Property<string?>(e, Claim), claimId)
                     .SetProperty(e => EF.Property<DateTimeOffset?>(e, Lease), leaseUntil)
                     .SetProperty(e => EF.Property<string?>(e, LapseLink), lapseLink);
                    ClearGrant(s);
                },
                cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryConfirmLapseAsync(long subscriberId, string claimId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(claimId);
        if (_statements is not null)
        {
            return await ConfirmLapseStatementAsync(subscriberId, claimId, now, cancellationToken).ConfigureAwait(false) == 1;
        }

        var changed = await Row(subscriberId)
            .Where(e => EF.Property<string?>(e, Claim) == claimId && EF.Property<DateTimeOffset?>(e, Lapse) == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(e => EF.Property<DateTimeOffset?>(e, Lapse), now)
                      .SetProperty(e => EF.Property<string?>(e, Claim), (string?)null)
                      .SetProperty(e => EF.Property<DateTimeOffset?>(e, Lease), (DateTimeOffset?)null)
                      .SetProperty(e => EF.Property<string?>(e, LapseLink), (string?)null),
                cancellationToken)
            .ConfigureAwait(false);
        return changed == 1;
    }

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

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<VipEntryRecord>> FindManyAsync(IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriberIds);
        if (subscriberIds.Count == 0)
        {
            return [];
        }

        var ids = subscriberIds.ToArray();
        var id = _id;
        var rows = await Project(Rows.Where(e => ids.Contains(EF.Property<long>(e, id)))).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToRecord());
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
            return await CreateManyStatementAsync(members, entered, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The sweep's candidates, oldest end first (the query the store runs, for plan checks).</summary>
    internal IQueryable<TEntity> ClaimableLapses(DateTimeOffset now)
    {
        var end = _end;
        var id = _id;
        return Rows
            .Where(Claimable(now))
            .OrderBy(e => EF.Property<DateTimeOffset>(e, end))
            .ThenBy(e => EF.Property<long>(e, id));
    }

    // Ended, not confirmed, and unclaimed or with a lease that ran out (R17).
    private System.Linq.Expressions.Expression<Func<TEntity, bool>> Claimable(DateTimeOffset now)
    {
        var end = _end;
        return e => EF.Property<DateTimeOffset?>(e, Lapse) == null
            && EF.Property<DateTimeOffset>(e, end) <= now
            && (EF.Property<string?>(e, Claim) == null || EF.Property<DateTimeOffset?>(e, Lease) <= now);
    }

    // One statement that may hit a unique index. A violation means "someone else holds that value" (false) when the
    // conflicting row is there to see; any other database error is not ours to hide and propagates. Inside the host's own
    // transaction the statement runs under a savepoint: on PostgreSQL a failed statement aborts the whole transaction,
    // which would make the follow-up read throw and lose the host's work; rolling back to the savepoint keeps it.
    private async ValueTask<bool> OneRowUnlessTakenAsync(Func<Task<int>> write, Func<ValueTask<bool>> takenByAnother, CancellationToken cancellationToken)
    {
        const string Savepoint = "vipentry_unique_write";
        var transaction = _context.Database.CurrentTransaction;
        var guarded = transaction is { SupportsSavepoints: true };
        if (guarded)
        {
            await transaction!.CreateSavepointAsync(Savepoint, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var changed = await write().ConfigureAwait(false) == 1;
            if (guarded)
            {
                await transaction!.ReleaseSavepointAsync(Savepoint, CancellationToken.None).ConfigureAwait(false);
            }

            return changed;
        }
        catch (DbException)
        {
            if (guarded)
            {
                await transaction!.RollbackToSavepointAsync(Savepoint, CancellationToken.None).ConfigureAwait(false);
            }

            if (await takenByAnother().ConfigureAwait(false))
            {
                return false;
            }

            throw;
        }
    }

    private static void ClearLapse(UpdateSettersBuilder<TEntity> s) =>
        s.SetProperty(e => EF.Property<DateTimeOffset?>(e, Lapse), (DateTimeOffset?)null)
         .SetProperty(e => EF.Property<string?>(e, Claim), (string?)null)
         .SetProperty(e => EF.Property<DateTimeOffset?>(e, Lease), (DateTimeOffset?)null)
         .SetProperty(e => EF.Property<string?>(e, LapseLink), (string?)null);

    private static void ClearGrant(UpdateSettersBuilder<TEntity> s) =>
        s.SetProperty(e => EF.Property<string?>(e, Hash), (string?)null)
         .SetProperty(e => EF.Property<DateTimeOffset?>(e, Issued), (DateTimeOffset?)null)
         .SetProperty(e => EF.Property<string?>(e, Link), (string?)null)
         .SetProperty(e => EF.Property<DateTimeOffset?>(e, GrantNudged), (DateTimeOffset?)null);

    // A stage change without a known "now" (completion, a restart through the overload without one): the next nudge pass
    // starts the new visit's clock.
    private static void ClearStageVisit(UpdateSettersBuilder<TEntity> s) =>
        s.SetProperty(e => EF.Property<DateTimeOffset?>(e, Entered), (DateTimeOffset?)null)
         .SetProperty(e => EF.Property<DateTimeOffset?>(e, StageNudged), (DateTimeOffset?)null);

    // The row of a record as it was read, still at the same stage, with the same grant and the same recorded link: the
    // common part of every compare-and-set that starts from a read and may clear a grant (renew, skip, lapse claim), so a
    // link recorded after the read is never dropped unreported. Each adds its own conditions.
    private IQueryable<TEntity> AsRead(VipEntryRecord expected)
    {
        var stage = VipEntryRow.ToStoredCondition(expected.Stage);
        var hash = expected.GrantTokenHash;
        var link = expected.GrantLink;
        return Row(expected.SubscriberId).Where(e => EF.Property<int?>(e, Stage) == stage
            && EF.Property<string?>(e, Hash) == hash
            && EF.Property<string?>(e, Link) == link);
    }

    private IQueryable<TEntity> Row(long subscriberId)
    {
        var id = _id;
        return Rows.Where(e => EF.Property<long>(e, id) == subscriberId);
    }

    private IQueryable<VipEntryRow> Project(IQueryable<TEntity> query)
    {
        var id = _id;
        var end = _end;
        return query.Select(e => new VipEntryRow(
            EF.Property<long>(e, id),
            EF.Property<DateTimeOffset>(e, end),
            EF.Property<int?>(e, Stage),
            EF.Property<string?>(e, Hash),
            EF.Property<DateTimeOffset?>(e, Issued),
            EF.Property<string?>(e, Link),
            EF.Property<DateTimeOffset?>(e, Lapse),
            EF.Property<string?>(e, Claim),
            EF.Property<DateTimeOffset?>(e, Lease),
            EF.Property<string?>(e, LapseLink),
            EF.Property<DateTimeOffset?>(e, Entered),
            EF.Property<DateTimeOffset?>(e, StageNudged),
            EF.Property<DateTimeOffset?>(e, GrantNudged)));
    }

    private async Task<bool> ExistsAsync(long subscriberId, CancellationToken cancellationToken) =>
        await Row(subscriberId).AnyAsync(cancellationToken).ConfigureAwait(false);
}
