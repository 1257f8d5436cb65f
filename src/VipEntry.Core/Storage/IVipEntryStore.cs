using VipEntry.Core.Stages;

namespace VipEntry.Core.Storage;

/// <summary>
/// Where ritual state lives. Every <c>Try…</c> method is one atomic compare-and-set: it changes the
/// subscriber only when every stated condition holds at the moment of the write, and returns
/// <see langword="true"/> only when it changed exactly one subscriber. Implementations must be correct
/// across threads, processes and bot replicas sharing one database.
/// </summary>
/// <remarks>
/// Conditions that involve time (<c>now</c>) are evaluated by the store, inside the same statement,
/// so an ended subscription blocks an operation at the moment it runs (R8). The engine hands every store instants
/// already truncated to whole microseconds (PostgreSQL's precision), so every store compares them alike. The members are
/// split by step: reads and the funnel here, the ritual's steps in <c>IVipEntryStore.Ritual.cs</c>, lapses (R17) in
/// <c>.Lapses.cs</c>, reminders (R18) in <c>.Nudges.cs</c>, many subscribers at once in <c>.Bulk.cs</c>.
/// </remarks>
public partial interface IVipEntryStore
{
    /// <summary>Reads one subscriber.</summary>
    /// <param name="subscriberId">The subscriber.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or <see langword="null"/> when the subscriber is not enrolled.</returns>
    ValueTask<VipEntryRecord?> FindAsync(long subscriberId, CancellationToken cancellationToken = default);

    /// <summary>Reads the subscriber whose grant has this token hash.</summary>
    /// <param name="tokenHash">A 64-character SHA-256 hex hash.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or <see langword="null"/> when no grant has this hash.</returns>
    ValueTask<VipEntryRecord?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>Reads the subscriber whose grant has this recorded transport link.</summary>
    /// <param name="link">The transport link.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or <see langword="null"/> when no grant has this link.</returns>
    ValueTask<VipEntryRecord?> FindByLinkAsync(string link, CancellationToken cancellationToken = default);

    /// <summary>Counts subscribers whose subscription is active at <paramref name="now"/>, per stage (R15).</summary>
    /// <param name="now">The current instant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A count per stage; stages with nobody may be absent.</returns>
    ValueTask<IReadOnlyDictionary<VipEntryStage, int>> CountByStageAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
