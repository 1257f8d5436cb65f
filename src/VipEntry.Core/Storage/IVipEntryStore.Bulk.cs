// Bulk activation and renewal: many subscribers per call, with defaults that fall back to the single steps.
using VipEntry.Core.Stages;

namespace VipEntry.Core.Storage;

public partial interface IVipEntryStore
{
    /// <summary>Reads many subscribers at once (bulk activation). The default reads them one by one.</summary>
    /// <param name="subscriberIds">The subscribers (distinct; a bounded batch).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records of the enrolled ones, in no particular order.</returns>
    async ValueTask<IReadOnlyList<VipEntryRecord>> FindManyAsync(IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriberIds);
        var found = new List<VipEntryRecord>(subscriberIds.Count);
        foreach (var id in subscriberIds)
        {
            if (await FindAsync(id, cancellationToken).ConfigureAwait(false) is { } record)
            {
                found.Add(record);
            }
        }

        return found;
    }

    /// <summary>
    /// <see cref="TryCreateAsync"/> for many subscribers (bulk activation): each is created exactly as a single create
    /// would, independently of the others. The default creates them one by one; a database store does it set-based.
    /// </summary>
    /// <param name="members">The subscribers and their subscription ends (distinct ids; a bounded batch).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The ids created (the others existed already, or the store cannot create rows).</returns>
    async ValueTask<IReadOnlyCollection<long>> TryCreateManyAsync(IReadOnlyList<Engine.VipEntryActivation> members, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(members);
        var created = new List<long>(members.Count);
        foreach (var member in members)
        {
            if (await TryCreateAsync(member.SubscriberId, member.SubscriptionEndsAt, cancellationToken).ConfigureAwait(false))
            {
                created.Add(member.SubscriberId);
            }
        }

        return created;
    }

    /// <summary>
    /// <see cref="TryRenewAsync"/> for many subscribers (bulk activation): each is one compare-and-set with exactly the
    /// conditions of a single renewal, independent of the others. The default renews them one by one; a database store
    /// does it set-based.
    /// </summary>
    /// <param name="renewals">The renewals (distinct subscribers; a bounded batch).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The ids renewed (the others changed since they were read).</returns>
    async ValueTask<IReadOnlyCollection<long>> TryRenewManyAsync(IReadOnlyList<VipEntryRenewal> renewals, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(renewals);
        var renewed = new List<long>(renewals.Count);
        foreach (var renewal in renewals)
        {
            if (await TryRenewAsync(renewal.Expected, renewal.SubscriptionEndsAt, renewal.Restart, cancellationToken).ConfigureAwait(false))
            {
                renewed.Add(renewal.Expected.SubscriberId);
            }
        }

        return renewed;
    }

    /// <summary><see cref="TryCreateManyAsync"/> starting each stage-1 visit's clock at <paramref name="now"/> (R18).</summary>
    /// <param name="members">The subscribers and their subscription ends (distinct ids; a bounded batch).</param>
    /// <param name="now">The current instant (the stage entry time).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The ids created.</returns>
    async ValueTask<IReadOnlyCollection<long>> TryCreateManyAtAsync(IReadOnlyList<Engine.VipEntryActivation> members, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(members);
        var created = new List<long>(members.Count);
        foreach (var member in members)
        {
            if (await TryCreateAtAsync(member.SubscriberId, member.SubscriptionEndsAt, now, cancellationToken).ConfigureAwait(false))
            {
                created.Add(member.SubscriberId);
            }
        }

        return created;
    }

    /// <summary><see cref="TryRenewManyAsync"/> whose restarts start each stage-1 visit's clock at <paramref name="now"/> (R18).</summary>
    /// <param name="renewals">The renewals (distinct subscribers; a bounded batch).</param>
    /// <param name="now">The current instant (the restarted visits' entry time).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The ids renewed.</returns>
    async ValueTask<IReadOnlyCollection<long>> TryRenewManyAtAsync(IReadOnlyList<VipEntryRenewal> renewals, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(renewals);
        var renewed = new List<long>(renewals.Count);
        foreach (var renewal in renewals)
        {
            if (await TryRenewAtAsync(renewal.Expected, renewal.SubscriptionEndsAt, renewal.Restart, now, cancellationToken).ConfigureAwait(false))
            {
                renewed.Add(renewal.Expected.SubscriberId);
            }
        }

        return renewed;
    }
}
