namespace VipEntry.Core.Channel;

/// <summary>
/// The one channel worker for every transport (R16–R19), over the transport's <see cref="IVipEntryChannel"/>. The hosted
/// worker calls <see cref="RunOnceAsync"/> every <see cref="VipEntryChannelWorkerOptions.Interval"/>; a host can call it
/// itself. Everything it does was claimed under a lease in the store, so any number of replicas run it at once and no
/// work is done twice at the same time; work that fails stays owed and is handed out again. Scoped, like the engine.
/// </summary>
public interface IVipEntryChannelWorker
{
    /// <summary>
    /// One cycle: the owed channel work of R19 (remove whoever may be inside without being entitled, lift bans from people
    /// who pay, revoke links of grants that no longer stand), then the lapses of R17 (revoke, tell, confirm; let a member
    /// who renewed meanwhile back in, R16), then the opt-in reminders of R18.
    /// </summary>
    /// <param name="cancellationToken">Cancels the cycle.</param>
    /// <returns>What the cycle did.</returns>
    ValueTask<VipEntryChannelCycleReport> RunOnceAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Does the owed channel work of one person now, if any is due and no other worker holds it (e.g. right after the
    /// transport reported an intruder, or after a renewal), instead of waiting for the next cycle.
    /// </summary>
    /// <param name="personId">The person.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was done.</returns>
    ValueTask<VipEntryChannelCycleReport> WorkOnAsync(long personId, CancellationToken cancellationToken = default);
}
