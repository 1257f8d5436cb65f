using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using VipEntry.Core.Channel;
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Health;
using VipEntry.Core.Links;
using VipEntry.Core.Messages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.DependencyInjection;

/// <summary>Configures VipEntry after <c>AddVipEntry</c> (<see cref="VipEntryServiceCollectionExtensions"/>).</summary>
public sealed class VipEntryBuilder
{
    internal VipEntryBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for extension packages (e.g. the EF Core store).</summary>
    public IServiceCollection Services { get; }

    /// <summary>Stores ritual state, the channel facts (R19), the update claims of webhooks and payments in process memory (tests, demos). Replaces no store already registered.</summary>
    /// <returns>This builder.</returns>
    public VipEntryBuilder UseInMemoryStore()
    {
        Services.TryAddSingleton<InMemoryVipEntryStore>();
        Services.TryAddSingleton<IVipEntryStore>(sp => sp.GetRequiredService<InMemoryVipEntryStore>());
        Services.TryAddSingleton<InMemoryVipEntryChannelStore>();
        Services.TryAddSingleton<IVipEntryChannelStore>(sp => sp.GetRequiredService<InMemoryVipEntryChannelStore>());
        Services.TryAddSingleton<InMemoryVipEntryUpdateClaims>();
        Services.TryAddSingleton<IVipEntryUpdateClaims>(sp => sp.GetRequiredService<InMemoryVipEntryUpdateClaims>());
        Services.TryAddSingleton<InMemoryVipEntryPaymentStore>();
        Services.TryAddSingleton<IVipEntryPaymentStore>(sp => sp.GetRequiredService<InMemoryVipEntryPaymentStore>());
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

    /// <summary>
    /// Plugs a transport into the one channel worker (R16–R19): registers <typeparamref name="TChannel"/> as the
    /// <see cref="IVipEntryChannel"/> port, <see cref="IVipEntryChannelWorker"/> (scoped, like the engine) and the hosted
    /// worker that runs a cycle every <see cref="VipEntryChannelWorkerOptions.Interval"/> (turned off with
    /// <see cref="VipEntryChannelWorkerOptions.Enabled"/>). The engine then also asks the port whether a member is inside
    /// before it mints a re-entry link. Replaces a port registered before.
    /// </summary>
    /// <typeparam name="TChannel">The transport's port.</typeparam>
    /// <param name="configure">Configures the hosted worker.</param>
    /// <param name="lifetime">The port's lifetime; scoped by default.</param>
    /// <returns>This builder.</returns>
    public VipEntryBuilder UseChannel<TChannel>(Action<VipEntryChannelWorkerOptions>? configure = null, ServiceLifetime lifetime = ServiceLifetime.Scoped)
        where TChannel : class, IVipEntryChannel
    {
        Services.Replace(ServiceDescriptor.Describe(typeof(IVipEntryChannel), typeof(TChannel), lifetime));
        var options = Services.AddOptions<VipEntryChannelWorkerOptions>()
            .Validate(o => o.Interval >= TimeSpan.FromMilliseconds(1) && o.Interval <= TimeSpan.FromDays(1), "VipEntryChannelWorkerOptions.Interval must be between 1 millisecond and 1 day.")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        Services.TryAddScoped<ChannelFactsWork>();
        Services.TryAddScoped<LetBackIn>();
        Services.TryAddScoped<LapseWork>();
        Services.TryAddScoped<NudgeWork>();
        Services.TryAddScoped<IVipEntryChannelWorker, VipEntryChannelWorker>();
        Services.TryAddSingleton<VipEntryChannelHeartbeat>();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, VipEntryChannelHostedService>());
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
