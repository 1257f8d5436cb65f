using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VipEntry.Core.Channel;
using VipEntry.SampleBot.Diagnostics;

namespace VipEntry.SampleBot.Telegram;

/// <summary>
/// Runs one cycle of VipEntry's channel worker now, in the background, after <c>/revoke</c> or <c>/grant</c>: the hosted worker would get
/// to it only at its next interval, and the update loop must not wait for it. Nothing is lost if the process dies first:
/// the lapse is in the database, and any replica's channel worker takes it.
/// </summary>
/// <param name="scopes">A scope per cycle.</param>
/// <param name="lifetime">Stops the cycle with the host.</param>
/// <param name="logger">The logger.</param>
internal sealed class SweepNow(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<SweepNow> logger)
{
    public void Request() => _ = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IVipEntryChannelWorker>().RunOnceAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The channel worker tries again at its next interval.
            SampleLog.SweepFailed(logger, ex);
        }
    }
}
