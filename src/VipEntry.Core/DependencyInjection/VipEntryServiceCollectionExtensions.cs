using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Engine;
using VipEntry.Core.Links;
using VipEntry.Core.Messages;
using VipEntry.Core.Options;
using VipEntry.Core.Tokens;

namespace VipEntry.Core.DependencyInjection;

/// <summary>Registers VipEntry in a service collection.</summary>
public static class VipEntryServiceCollectionExtensions
{
    /// <summary>
    /// Adds the VipEntry engine with validated options (checked at start-up), the CSPRNG token generator,
    /// the built-in texts, the token-link issuer, metrics and <see cref="TimeProvider.System"/> unless the host
    /// registered its own. Safe to call more than once. Choose a store on the returned builder.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures <see cref="VipEntryOptions"/>.</param>
    /// <returns>A builder to choose the store, link issuer, observers and texts.</returns>
    public static VipEntryBuilder AddVipEntry(this IServiceCollection services, Action<VipEntryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptionsWithValidateOnStart<VipEntryOptions, VipEntryOptionsValidator>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VipEntryOptions>, VipEntryOptionsCrossValidator>());
        services.AddOptions<VipEntryMessageOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITokenGenerator, RandomTokenGenerator>();
        services.TryAddSingleton<IVipEntryMessageProvider, DefaultVipEntryMessageProvider>();
        services.TryAddScoped<IVipEntryLinkIssuer, TokenLinkIssuer>();
        services.TryAddSingleton(sp => new VipEntryMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddScoped<IVipEntryStateMachine, VipEntryStateMachine>();
        return new VipEntryBuilder(services);
    }
}
