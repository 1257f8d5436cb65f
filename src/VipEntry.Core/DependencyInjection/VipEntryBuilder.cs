using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Links;
using VipEntry.Core.Messages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.DependencyInjection;

/// <summary>Configures VipEntry after <see cref="VipEntryServiceCollectionExtensions.AddVipEntry"/>.</summary>
public sealed class VipEntryBuilder
{
    internal VipEntryBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for extension packages (e.g. the EF Core store).</summary>
    public IServiceCollection Services { get; }

    /// <summary>Stores ritual state and the channel facts (R19) in process memory (tests, demos). Replaces no store already registered.</summary>
    /// <returns>This builder.</returns>
    public VipEntryBuilder UseInMemoryStore()
    {
        Services.TryAddSingleton<InMemoryVipEntryStore>();
        Services.TryAddSingleton<IVipEntryStore>(sp => sp.GetRequiredService<InMemoryVipEntryStore>());
        Services.TryAddSingleton<InMemoryVipEntryChannelStore>();
        Services.TryAddSingleton<IVipEntryChannelStore>(sp => sp.GetRequiredService<InMemoryVipEntryChannelStore>());
        return this;
    }

    /// <summary>Uses <typeparamref name="TIssuer"/> to turn grants into transport links (replaces the token-link default).</summary>
    /// <typeparam name="TIssuer">The issuer type.</typeparam>
    /// <param name="lifetime">Its lifetime; scoped by default, like the store.</param>
    /// <returns>This builder.</returns>
    public VipEntryBuilder UseLinkIssuer<TIssuer>(ServiceLifetime lifetime = ServiceLifetime.Scoped)
        where TIssuer : class, IVipEntryLinkIssuer
    {
        Services.Replace(ServiceDescriptor.Describe(typeof(IVipEntryLinkIssuer), typeof(TIssuer), lifetime));
        return this;
    }

    /// <summary>Adds an observer of transitions (R15). Adding the same type twice adds it once.</summary>
    /// <typeparam name="TObserver">The observer type.</typeparam>
    /// <returns>This builder.</returns>
    public VipEntryBuilder AddObserver<TObserver>()
        where TObserver : class, IVipEntryObserver
    {
        Services.TryAddEnumerable(ServiceDescriptor.Scoped<IVipEntryObserver, TObserver>());
        return this;
    }

    /// <summary>Overrides built-in texts per stage, notice and culture (R14).</summary>
    /// <param name="configure">The overrides.</param>
    /// <returns>This builder.</returns>
    public VipEntryBuilder ConfigureMessages(Action<VipEntryMessageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }
}
