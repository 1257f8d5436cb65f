using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VipEntry.Core.Channel;
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
    // The child section of VipEntry's that holds the channel worker's settings (VipEntry:ChannelWorker:Interval).
    private const string ChannelWorkerSection = "ChannelWorker";

    /// <summary>
    /// Adds the VipEntry engine with validated options (checked at start-up), the CSPRNG token generator,
    /// the built-in texts, the token-link issuer, metrics and <see cref="TimeProvider.System"/> unless the host
    /// registered its own. Safe to call more than once. Choose a store on the returned builder.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures <see cref="VipEntryOptions"/>.</param>
    /// <returns>A builder to choose the store, link issuer, observers and texts.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0027", Justification = "The Microsoft.Extensions shape: AddX(Action? = null) next to AddX(IConfiguration); a call cannot be ambiguous (a lambda is no IConfiguration).")]
    public static VipEntryBuilder AddVipEntry(this IServiceCollection services, Action<VipEntryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptionsWithValidateOnStart<VipEntryOptions, VipEntryOptionsValidator>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddServices(services);
    }

    /// <summary>
    /// As <see cref="AddVipEntry(IServiceCollection, Action{VipEntryOptions}?)"/>, with <see cref="VipEntryOptions"/> bound from
    /// <paramref name="configuration"/> (e.g. <c>configuration.GetSection(VipEntryOptions.SectionName)</c>: <c>VipEntry:LinkLifetime</c>,
    /// <c>VipEntry__DefaultCulture</c>, …) and the channel worker's <see cref="VipEntryChannelWorkerOptions"/> from its
    /// <c>ChannelWorker</c> child section, the way Microsoft.Extensions libraries bind options: values that change reload,
    /// invalid or unconvertible values fail at start-up. Configure more in code with
    /// <c>Services.Configure&lt;VipEntryOptions&gt;(…)</c> after this call (it runs after the binding).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding VipEntry's settings (its keys are <see cref="VipEntryOptions"/>' property names).</param>
    /// <returns>A builder to choose the store, link issuer, observers and texts.</returns>
    public static VipEntryBuilder AddVipEntry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptionsWithValidateOnStart<VipEntryOptions, VipEntryOptionsValidator>().Bind(configuration);
        services.AddOptions<VipEntryChannelWorkerOptions>().Bind(configuration.GetSection(ChannelWorkerSection));
        return AddServices(services);
    }

    private static VipEntryBuilder AddServices(IServiceCollection services)
    {
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
