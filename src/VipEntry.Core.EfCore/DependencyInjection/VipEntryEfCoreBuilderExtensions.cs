using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore;

/// <summary>Registers the EF Core store on a <see cref="VipEntryBuilder"/>.</summary>
public static class VipEntryEfCoreBuilderExtensions
{
    /// <summary>
    /// Stores ritual state in the ready-made <see cref="VipEntrySubscriber"/> of <typeparamref name="TContext"/>
    /// (mapped with <c>modelBuilder.AddVipEntrySubscribers()</c>), and the channel facts of R19 (<see cref="IVipEntryChannelStore"/>),
    /// the update claims (<see cref="IVipEntryUpdateClaims"/>) and the payments (<see cref="IVipEntryPaymentStore"/>) in
    /// VipEntry's own tables of the same context. The stores are scoped, like the context, which the host
    /// registers itself (e.g. <c>AddDbContext</c>). Replaces no store already registered. When the host starts, the model is
    /// checked for the mapping (a missing <c>AddVipEntrySubscribers()</c> fails the start with an <see cref="OptionsValidationException"/>
    /// that names the call).
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
        AddChannelStore<TContext>(builder);
        return builder;
    }

    /// <summary>
    /// Stores ritual state in the host's own <typeparamref name="TEntity"/> (mapped with <c>HasVipEntry(...)</c>), and the
    /// channel facts of R19 (<see cref="IVipEntryChannelStore"/>), the update claims (<see cref="IVipEntryUpdateClaims"/>) and
    /// the payments (<see cref="IVipEntryPaymentStore"/>) in VipEntry's own tables of the same context.
    /// The host owns the rows: it inserts a subscriber (who starts at stage 1 by the column default), and activating an
    /// id without a row reports not enrolled. Replaces no store already registered (each of the two on its own). When the host starts, the model is checked for the
    /// mapping (a missing <c>HasVipEntry</c> fails the start with an <see cref="OptionsValidationException"/> that names the call).
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
        AddChannelStore<TContext>(builder);
        return builder;
    }

    // The channel facts (R19) live in VipEntry's own table of the same context, mapped by the same call as the ritual.
    // Issue 15: both mappings are checked when the host starts, so a model without the call fails before it serves.
    private static void AddChannelStore<TContext>(VipEntryBuilder builder)
        where TContext : DbContext
    {
        builder.Services.TryAddScoped<IVipEntryChannelStore>(sp => new EfCoreVipEntryChannelStore<TContext>(sp.GetRequiredService<TContext>()));
        builder.Services.TryAddScoped<IVipEntryUpdateClaims>(sp => new EfCoreVipEntryUpdateClaims<TContext>(sp.GetRequiredService<TContext>()));

        // Issue 17: payments in VipEntry's own table of the same context, mapped by the same call, checked at start too.
        builder.Services.TryAddScoped<IVipEntryPaymentStore>(sp => new EfCoreVipEntryPaymentStore<TContext>(sp.GetRequiredService<TContext>()));
        builder.Services.AddOptions<VipEntryEfCoreModelCheck>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VipEntryEfCoreModelCheck>, VipEntryEfCoreModelValidator>());
    }
}
