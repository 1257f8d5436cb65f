using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VipEntry.Core.Telegram.Diagnostics;

namespace VipEntry.Core.Telegram.Channel;

/// <summary>
/// The hosted channel worker: a cycle of <see cref="LapseProcessor"/> then <see cref="NudgeProcessor"/> at start and then every
/// <see cref="VipEntryTelegramOptions.SweepInterval"/> (a <see cref="PeriodicTimer"/> on the injected clock), each in its
/// own DI scope. A failing cycle is logged and the loop goes on; the work it left is still owed in the store.
/// Does nothing when <see cref="VipEntryTelegramOptions.RunChannelWorker"/> is <see langword="false"/>.
/// </summary>
/// <param name="scopes">A scope per cycle (the engine and the store are scoped).</param>
/// <param name="options">The interval and the opt-out.</param>
/// <param name="time">The clock.</param>
/// <param name="logger">The logger.</param>
internal sealed class ChannelWorker(IServiceScopeFactory scopes, IOptionsMonitor<VipEntryTelegramOptions> options, TimeProvider time, ILogger<ChannelWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.CurrentValue;
        if (!settings.RunChannelWorker)
        {
            TelegramLog.WorkerDisabled(logger);
            return;
        }

        // Off the host's start-up path.
        await Task.Yield();
        TelegramLog.WorkerStarted(logger, settings.SweepInterval);
        using var timer = new PeriodicTimer(settings.SweepInterval, time);
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
                var report = await scope.ServiceProvider.GetRequiredService<LapseProcessor>().RunOnceAsync(stoppingToken).ConfigureAwait(false);
                if (report.Claimed > 0)
                {
                    TelegramLog.WorkerCycle(logger, report.Claimed, report.Confirmed, report.EntitledAgain, report.Failed, report.ClaimLost);
                }

                // Opt-in reminders (R18): with the engine's nudge settings off this claims nothing.
                var reminded = await scope.ServiceProvider.GetRequiredService<NudgeProcessor>().RunOnceAsync(stoppingToken).ConfigureAwait(false);
                if (reminded > 0)
                {
                    TelegramLog.NudgesSent(logger, reminded);
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
            TelegramLog.WorkerCycleFailed(logger, ex);
        }
    }
}
