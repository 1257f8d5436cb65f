using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VipEntry.Core.Health;

namespace VipEntry.Core.Channel;

/// <summary>
/// Runs <see cref="IVipEntryChannelWorker.RunOnceAsync"/> at start and then every
/// <see cref="VipEntryChannelWorkerOptions.Interval"/> (a <see cref="PeriodicTimer"/> on the injected clock), each cycle
/// in its own DI scope. A failing cycle is logged and the loop goes on: the work it left is still owed in the store. The
/// start and each completed cycle are recorded for the health check (issue 15).
/// </summary>
internal sealed class VipEntryChannelHostedService(
    IServiceScopeFactory scopes,
    IOptionsMonitor<VipEntryChannelWorkerOptions> options,
    TimeProvider time,
    VipEntryChannelHeartbeat heartbeat,
    ILogger<VipEntryChannelHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.CurrentValue;
        if (!settings.Enabled)
        {
            ChannelLog.WorkerDisabled(logger);
            heartbeat.Disabled();
            return;
        }

        // Off the host's start-up path.
        await Task.Yield();
        ChannelLog.WorkerStarted(logger, settings.Interval);
        heartbeat.Started(time.GetUtcNow());
        using var timer = new PeriodicTimer(settings.Interval, time);
        try
        {
            do
            {
                await RunCycleAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task RunCycleAsync(CancellationToken stoppingToken)
    {
        try
        {
            var scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var r = await scope.ServiceProvider.GetRequiredService<IVipEntryChannelWorker>().RunOnceAsync(stoppingToken).ConfigureAwait(false);
                heartbeat.CycleCompleted(time.GetUtcNow());
                if (r != VipEntryChannelCycleReport.Empty)
                {
                    ChannelLog.Cycle(logger, r.Removed, r.BansLifted, r.LinksRevoked, r.Failed, r.LapsesConfirmed, r.LetBackIn, r.Nudged);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A broken cycle (the database is down, a bug) must not stop the worker: the next cycle tries again.
            ChannelLog.CycleFailed(logger, ex);
        }
    }
}
