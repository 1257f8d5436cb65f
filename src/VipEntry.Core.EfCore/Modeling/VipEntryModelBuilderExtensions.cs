using Microsoft.EntityFrameworkCore;

namespace VipEntry.Core.EfCore;

/// <summary>Maps the ready-made <see cref="VipEntrySubscriber"/> into the host's own model.</summary>
public static class VipEntryModelBuilderExtensions
{
    /// <summary>
    /// Maps <see cref="VipEntrySubscriber"/> to the <c>vip_subscribers</c> table (names overridable) with the ritual
    /// columns, indexes and constraints, and VipEntry's own channel table (R19, <c>vip_entry_channel</c>) in the same schema. Call from the host's <c>OnModelCreating</c>; no base DbContext or DbSet is needed.
    /// Register the store with <c>AddEntityFrameworkCoreStore&lt;TContext&gt;()</c>.
    /// </summary>
    /// <param name="modelBuilder">The host's model builder.</param>
    /// <param name="configure">Table, schema, column and index names.</param>
    /// <returns>The same model builder.</returns>
    public static ModelBuilder AddVipEntrySubscribers(this ModelBuilder modelBuilder, Action<VipEntryModelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        var o = VipEntryModelOptions.Create(configure);
        modelBuilder.Entity<VipEntrySubscriber>(b =>
        {
            b.ToTable(o.TableName, o.Schema);
            b.HasKey(x => x.UserId);
            b.Property(x => x.UserId).HasColumnName(o.SubscriberIdColumn);
            b.Property(x => x.ExpiresAt).HasColumnName(o.SubscriptionEndColumn);
            b.HasVipEntry(x => x.UserId, x => x.ExpiresAt, o);
        });
        return modelBuilder;
    }
}
