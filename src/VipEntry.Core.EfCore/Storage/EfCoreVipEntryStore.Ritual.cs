// Rules: R3, R4, R5, R6, R7, R8, R16 — the ritual: advance, issue/record/withdraw a grant, redeem, skip.
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
}
