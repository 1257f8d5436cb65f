using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VipEntry.SampleBot.Configuration;
using VipEntry.SampleBot.Diagnostics;

namespace VipEntry.SampleBot.Ritual;

/// <summary>Runs <see cref="EngineRitual.SweepAsync"/> (terminal mode; on Telegram the package's channel worker sweeps) every <see cref="BotOptions.SweepInterval"/>, or sooner when signalled.</summary>
/// <param name="scopes">Creates a scope per sweep.</param>
/// <param name="signal">Early wake-ups.</param>
/// <param name="options">The interval.</param>
/// <param name="logger">The logger.</param>
internal sealed class SweepService(IServiceScopeFactory scopes, SweepSignal signal, IOptions<BotOptions> options, ILogger<SweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SweepInterval > TimeSpan.Zero ? options.Value.SweepInterval : TimeSpan.FromMinutes(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<EngineRitual>().SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A broken sweep must not stop the bot; the next one tries again.
                SampleLog.SweepFailed(logger, ex);
            }

            try
            {
                await signal.WaitAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
