// Reminders (R18): idle members and expiring grants listed, each reminder claimed once.
using VipEntry.Core.Stages;

namespace VipEntry.Core.Storage;

public partial interface IVipEntryStore
{
    /// <summary>
    /// Lists up to <paramref name="maxCount"/> subscribers who may be idle (R18): at stage 1, 2 or 3, the subscription active
    /// at <paramref name="now"/>, no nudge for the current stage visit yet, and either entered the stage at or before
    /// <paramref name="enteredAtOrBefore"/> or with no known entry time. Unknown entry times first, then oldest.
    /// </summary>
    /// <param name="now">The current instant.</param>
    /// <param name="enteredAtOrBefore">The latest stage entry that counts as idle.</param>
    /// <param name="maxCount">The batch size.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The batch.</returns>
    ValueTask<IReadOnlyList<VipEntryRecord>> ListIdleAsync(DateTimeOffset now, DateTimeOffset enteredAtOrBefore, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the idle nudge of one stage visit (R18), as one statement on the record as listed: requires the same stage
    /// and stage entry time, no nudge yet, and an active subscription at <paramref name="now"/>. With a known entry time it
    /// records the nudge (<see cref="VipEntryRecord.StageNudgedAt"/> = <paramref name="now"/>) and returns
    /// <see langword="true"/>; with none (a row written outside VipEntry) it starts the clock
    /// (<see cref="VipEntryRecord.StageEnteredAt"/> = <paramref name="now"/>) and returns <see langword="false"/>.
    /// </summary>
    /// <param name="expected">The record as listed.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether this caller holds the nudge.</returns>
    ValueTask<bool> TryClaimIdleNudgeAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists up to <paramref name="maxCount"/> subscribers whose grant expires soon and was not used (R18): a grant issued
    /// after <paramref name="issuedAfter"/> (still live) and at or before <paramref name="issuedAtOrBefore"/> (inside the
    /// reminder window), not nudged yet, the subscription active at <paramref name="now"/>. Soonest expiry first.
    /// </summary>
    /// <param name="now">The current instant.</param>
    /// <param name="issuedAfter">Grants issued at or before this have expired.</param>
    /// <param name="issuedAtOrBefore">Grants issued after this are not yet inside the reminder window.</param>
    /// <param name="maxCount">The batch size.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The batch.</returns>
    ValueTask<IReadOnlyList<VipEntryRecord>> ListExpiringGrantsAsync(DateTimeOffset now, DateTimeOffset issuedAfter, DateTimeOffset issuedAtOrBefore, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the reminder of one grant (R18), as one statement: requires the same grant hash, no reminder for it yet, and
    /// an active subscription at <paramref name="now"/>. Records <see cref="VipEntryRecord.GrantNudgedAt"/>.
    /// </summary>
    /// <param name="expected">The record as listed.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether this caller holds the reminder.</returns>
    ValueTask<bool> TryClaimGrantNudgeAsync(VipEntryRecord expected, DateTimeOffset now, CancellationToken cancellationToken = default);
}
