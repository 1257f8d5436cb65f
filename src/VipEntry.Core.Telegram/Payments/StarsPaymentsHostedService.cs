using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VipEntry.Core.Telegram.Payments;

/// <summary>
/// Runs <see cref="IVipEntryStarsSeller.RunOnceAsync"/> at start and then every <see cref="VipEntryTelegramOptions.SweepInterval"/>
/// (the channel worker's settings: off with <see cref="VipEntryTelegramOptions.RunChannelWorker"/>), each pass in its own
/// scope. A failing pass is logged and the loop goes on: what it left is still owed in the store.
/// </summary>
internal sealed partial class StarsPaymentsHostedService(
    IServiceScopeFactory scopes,
    IOptionsMonitor<VipEntryTelegramOptions> options,
    TimeProvider time,
    ILogger<StarsPaymentsHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.CurrentValue;
        if (!settings.RunChannelWorker)
        {
            return;
        }

        await Task.Yield();
        using var timer = new PeriodicTimer(settings.SweepInterval, time);
        try
        {
            do
            {
                await RunPassAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task RunPassAsync(CancellationToken stoppingToken)
    {
        try
        {
            var scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var report = await scope.ServiceProvider.GetRequiredService<IVipEntryStarsSeller>().RunOnceAsync(stoppingToken).ConfigureAwait(false);
                if (report != VipEntryStarsCycleReport.Empty)
                {
                    PassDone(logger, report.Applied, report.RenewalsCanceled, report.Failed);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A broken pass (the database is down, a bug) must not stop the worker.
            PassFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = 2040, Level = LogLevel.Information, Message = "Stars payments pass: {Applied} applied, {RenewalsCanceled} renewals canceled, {Failed} failed and still owed")]
    private static partial void PassDone(ILogger logger, int applied, int renewalsCanceled, int failed);

    [LoggerMessage(EventId = 2041, Level = LogLevel.Error, Message = "Stars payments pass failed; the next pass tries again")]
    private static partial void PassFailed(ILogger logger, Exception exception);
}
