using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore;

/// <summary>Registers the EF Core store on a <see cref="VipEntryBuilder"/>.</summary>
public static class VipEntryEfCoreBuilderExtensions
{
    /// <summary>
    /// Stores ritual state in the ready-made <see cref="VipEntrySubscriber"/> of <typeparamref name="TContext"/>
    /// (mapped with <c>modelBuilder.AddVipEntrySubscribers()</c>). The store is scoped, like the context, which the host
    /// registers itself (e.g. <c>AddDbContext</c>). Replaces no store already registered.
    /// </summary>
    /// <typeparam name="TContext">The host's context.</typeparam>
    /// <param name="builder">The VipEntry builder.</param>
    /// <returns>The same builder.</returns>
    public static VipEntryBuilder AddEntityFrameworkCoreStore<TContext>(this VipEntryBuilder builder)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<IVipEntryStore>(sp =>
            new EfCoreVipEntryStore<TContext, VipEntrySubscriber>(sp.GetRequiredService<TContext>(), canInsert: true));
        return builder;
    }

    /// <summary>
    /// Stores ritual state in the host's own <typeparamref name="TEntity"/> (mapped with <c>HasVipEntry(...)</c>).
    /// The host owns the rows: it inserts a subscriber (who starts at stage 1 by the column default), and activating an
    /// id without a row reports not enrolled. Replaces no store already registered.
    /// </summary>
    /// <typeparam name="TContext">The host's context.</typeparam>
    /// <typeparam name="TEntity">The host's subscriber entity.</typeparam>
    /// <param name="builder">The VipEntry builder.</param>
    /// <returns>The same builder.</returns>
    public static VipEntryBuilder AddEntityFrameworkCoreStore<TContext, TEntity>(this VipEntryBuilder builder)
        where TContext : DbContext
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<IVipEntryStore>(sp =>
            new EfCoreVipEntryStore<TContext, TEntity>(sp.GetRequiredService<TContext>(), canInsert: typeof(TEntity) == typeof(VipEntrySubscriber)));
        return builder;
    }
}
