using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.Tests.Support;

/// <summary>Delegates to an in-memory store, running <see cref="BeforeRenew"/> once just before a renewal writes, and <see cref="BeforeMarkLapse"/> before each lapse mark, to stage races.</summary>
public sealed class InterceptingStore(InMemoryVipEntryStore inner) : IVipEntryStore
{
    public Func<Task>? BeforeRenew { get; set; }

    /// <summary>
    /// Wraps the grant writes (<c>TryIssueGrant</c>, <c>TryRecordLink</c>) to stage store faults: gets the write's name and the
    /// real write, and returns what the engine is told (e.g. run the write, then report failure: an answer lost after commit).
    /// </summary>
    public Func<string, Func<ValueTask<bool>>, ValueTask<bool>>? AroundGrantWrite { get; set; }

    /// <summary>Runs before every lapse claim, with the record the sweep listed.</summary>
    public Func<VipEntryRecord, Task>? BeforeMarkLapse { get; set; }

    public ValueTask<VipEntryRecord?> FindAsync(long subscriberId, CancellationToken cancellationToken = default) => inner.FindAsync(subscriberId, cancellationToken);

    public ValueTask<VipEntryRecord?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken = default) => inner.FindByTokenHashAsync(tokenHash, cancellationToken);

    public ValueTask<VipEntryRecord?> FindByLinkAsync(string link, CancellationToken cancellationToken = default) => inner.FindByLinkAsync(link, cancellationToken);

    public ValueTask<bool> TryCreateAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, CancellationToken cancellationToken = default) => inner.TryCreateAsync(subscriberId, subscriptionEndsAt, cancellationToken);

    public async ValueTask<bool> TryRenewAsync(VipEntryRecord expected, DateTimeOffset subscriptionEndsAt, bool restart, CancellationToken cancellationToken = default)
    {
        if (BeforeRenew is { } before)
        {
            BeforeRenew = null;
            await before();
        }

        return await inner.TryRenewAsync(expected, subscriptionEndsAt, restart, cancellationToken);
    }

    public ValueTask<bool> TryAdvanceAsync(long subscriberId, VipEntryStage from, VipEntryStage target, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.TryAdvanceAsync(subscriberId, from, target, now, cancellationToken);

    public ValueTask<bool> TryIssueGrantAsync(long subscriberId, VipEntryStage stage, string? expectedTokenHash, string newTokenHash, DateTimeOffset now, DateTimeOffset replaceIssuedAtOrBefore, CancellationToken cancellationToken = default) =>
        Around("TryIssueGrant", () => inner.TryIssueGrantAsync(subscriberId, stage, expectedTokenHash, newTokenHash, now, replaceIssuedAtOrBefore, cancellationToken));

    public ValueTask<bool> TryRecordLinkAsync(long subscriberId, string tokenHash, string link, CancellationToken cancellationToken = default) =>
        Around("TryRecordLink", () => inner.TryRecordLinkAsync(subscriberId, tokenHash, link, cancellationToken));

    private ValueTask<bool> Around(string write, Func<ValueTask<bool>> run) => AroundGrantWrite is { } around ? around(write, run) : run();

    public ValueTask<bool> TryWithdrawGrantAsync(long subscriberId, string tokenHash, CancellationToken cancellationToken = default) => inner.TryWithdrawGrantAsync(subscriberId, tokenHash, cancellationToken);

    /// <summary>When set, the next redemption throws it (once) before it reaches the store.</summary>
    public Exception? FailNextRedeem { get; set; }

    public ValueTask<bool> TryRedeemAsync(long subscriberId, VipEntryStage from, string tokenHash, DateTimeOffset now, DateTimeOffset issuedAfter, CancellationToken cancellationToken = default)
    {
        if (FailNextRedeem is { } failure)
        {
            FailNextRedeem = null;
            throw failure;
        }

        return inner.TryRedeemAsync(subscriberId, from, tokenHash, now, issuedAfter, cancellationToken);
    }

    public ValueTask<bool> TrySkipAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.TrySkipAsync(expected, now, cancellationToken);

    public ValueTask<IReadOnlyList<VipEntryRecord>> ListClaimableLapsesAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken = default) => inner.ListClaimableLapsesAsync(now, maxCount, cancellationToken);

    public async ValueTask<bool> TryClaimLapseAsync(VipEntryRecord expected, string claimId, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        if (BeforeMarkLapse is { } before)
        {
            await before(expected);
        }

        return await inner.TryClaimLapseAsync(expected, claimId, now, leaseUntil, cancellationToken);
    }

    public ValueTask<bool> TryConfirmLapseAsync(long subscriberId, string claimId, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.TryConfirmLapseAsync(subscriberId, claimId, now, cancellationToken);

    public ValueTask<IReadOnlyList<VipEntryRecord>> ListIdleAsync(DateTimeOffset now, DateTimeOffset enteredAtOrBefore, int maxCount, CancellationToken cancellationToken = default) => inner.ListIdleAsync(now, enteredAtOrBefore, maxCount, cancellationToken);

    public ValueTask<bool> TryClaimIdleNudgeAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.TryClaimIdleNudgeAsync(expected, now, cancellationToken);

    public ValueTask<IReadOnlyList<VipEntryRecord>> ListExpiringGrantsAsync(DateTimeOffset now, DateTimeOffset issuedAfter, DateTimeOffset issuedAtOrBefore, int maxCount, CancellationToken cancellationToken = default) => inner.ListExpiringGrantsAsync(now, issuedAfter, issuedAtOrBefore, maxCount, cancellationToken);

    public ValueTask<bool> TryClaimGrantNudgeAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.TryClaimGrantNudgeAsync(expected, now, cancellationToken);

    public ValueTask<IReadOnlyDictionary<VipEntryStage, int>> CountByStageAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => inner.CountByStageAsync(now, cancellationToken);
}
