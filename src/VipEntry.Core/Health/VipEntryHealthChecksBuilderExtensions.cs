using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using VipEntry.Core.Channel;

namespace VipEntry.Core.Health;

/// <summary>Adds VipEntry's health checks to <c>services.AddHealthChecks()</c> (issue 15).</summary>
public static class VipEntryHealthChecksBuilderExtensions
{
    /// <summary>The name of the "the store answers" check.</summary>
    public const string StoreCheckName = "vipentry-store";

    /// <summary>The name of the "the channel worker completed a cycle recently" check.</summary>
    public const string ChannelWorkerCheckName = "vipentry-channel-worker";

    /// <summary>
    /// Adds two checks: <see cref="StoreCheckName"/> (a cheap read of the store the engine uses, in its own scope) and
    /// <see cref="ChannelWorkerCheckName"/> (unhealthy when the hosted channel worker completed no cycle within three
    /// <see cref="VipEntryChannelWorkerOptions.Interval"/>s; degraded until its first cycle; healthy when it is disabled or
    /// no channel is plugged in). Map them with <c>app.MapHealthChecks("/healthz")</c>: unhealthy answers 503.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddHealthChecks()</c>.</param>
    /// <param name="failureStatus">The status of a failing check; <see cref="HealthStatus.Unhealthy"/> by default.</param>
    /// <param name="tags">Tags of both checks (e.g. <c>"ready"</c>, to filter an endpoint).</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddVipEntryChecks(this IHealthChecksBuilder builder, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var tagList = tags?.ToArray() ?? [];
        builder.Add(new HealthCheckRegistration(
            StoreCheckName,
            sp => ActivatorUtilities.CreateInstance<VipEntryStoreHealthCheck>(sp),
            failureStatus,
            tagList));
        builder.Add(new HealthCheckRegistration(
            ChannelWorkerCheckName,
            sp => ActivatorUtilities.CreateInstance<VipEntryChannelWorkerHealthCheck>(sp),
            failureStatus,
            tagList));
        return builder;
    }
}
