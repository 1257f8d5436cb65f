using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using VipEntry.Core.Channel;

namespace VipEntry.Core.Health;

/// <summary>
/// "The channel worker completed a cycle recently" (issue 15): unhealthy (the registration's failure status) when no cycle
/// completed within <see cref="StaleAfterIntervals"/> × <see cref="VipEntryChannelWorkerOptions.Interval"/>, counted from
/// the last completed cycle or, before the first, from the worker's start; degraded while the first cycle is pending or the
/// worker has not started; healthy when the worker is disabled or no channel is plugged in (nothing is expected of it).
/// </summary>
/// <param name="services">Finds the heartbeat, registered with the worker by <c>UseChannel</c>.</param>
/// <param name="options">The worker's interval.</param>
/// <param name="time">The clock the worker runs on.</param>
internal sealed class VipEntryChannelWorkerHealthCheck(IServiceProvider services, IOptionsMonitor<VipEntryChannelWorkerOptions> options, TimeProvider time) : IHealthCheck
{
    /// <summary>How many intervals may pass without a completed cycle.</summary>
    public const int StaleAfterIntervals = 3;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(Check(context.Registration.FailureStatus));
    }

    private HealthCheckResult Check(HealthStatus failureStatus)
    {
        var settings = options.CurrentValue;
        if (services.GetService<VipEntryChannelHeartbeat>() is not { } heartbeat)
        {
            return HealthCheckResult.Healthy("No VipEntry channel worker is registered (UseChannel was not called).");
        }

        if (!settings.Enabled || heartbeat.IsDisabled)
        {
            return HealthCheckResult.Healthy("The VipEntry channel worker is disabled; the host runs its cycles.");
        }

        var since = heartbeat.LastCycleCompletedAt ?? heartbeat.StartedAt;
        if (since is not { } from)
        {
            return HealthCheckResult.Degraded("The VipEntry channel worker has not started.");
        }

        var staleAfter = settings.Interval * StaleAfterIntervals;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["interval"] = settings.Interval,
            ["startedAt"] = heartbeat.StartedAt ?? from,
        };
        if (heartbeat.LastCycleCompletedAt is { } last)
        {
            data["lastCycleCompletedAt"] = last;
        }

        if (time.GetUtcNow() - from > staleAfter)
        {
            return new HealthCheckResult(
                failureStatus,
                heartbeat.LastCycleCompletedAt is null
                    ? $"The VipEntry channel worker has completed no cycle since it started at {from:O} (more than {StaleAfterIntervals} intervals of {settings.Interval})."
                    : $"The VipEntry channel worker has completed no cycle since {from:O} (more than {StaleAfterIntervals} intervals of {settings.Interval}).",
                data: data);
        }

        return heartbeat.LastCycleCompletedAt is null
            ? HealthCheckResult.Degraded("The VipEntry channel worker's first cycle has not completed yet.", data: data)
            : HealthCheckResult.Healthy("The VipEntry channel worker completed a cycle recently.", data);
    }
}
