using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Telegram.Bot;
using VipEntry.Core.Channel;
using VipEntry.Core.Results;
using VipEntry.Core.Telegram.Tests.Support;

namespace VipEntry.Core.Telegram.Tests;

public sealed class HostedWorkerTests
{
    [Fact]
    public async Task R17_TheHostedWorker_RunsCyclesOnItsTimer_AndAFailingCycleDoesNotStopIt()
    {
        // Issue 14: the hosted worker is VipEntry's one channel worker (VipEntry.Core), over this package's port; its
        // events are Core's (CycleFailed) and its timer follows VipEntryTelegramOptions.SweepInterval.
        // The first cycle cannot even build its services; the next one, on the next tick, works.
        var breakNext = 0;
        TelegramBotClient? bot = null;
        await using var host = new TelegramTestHost(
            telegram: o =>
            {
                o.RunChannelWorker = true;
                o.SweepInterval = TimeSpan.FromMinutes(1);
            },
            services: s => s.AddScoped<ITelegramBotClient>(_ =>
                Interlocked.Exchange(ref breakNext, 0) == 1 ? throw new InvalidOperationException("first cycle breaks") : bot!));
        bot = host.Bot;
        await host.CompleteAsync(7601);
        await host.LapseAsync(7601);
        var workers = host.Services.GetServices<IHostedService>().ToList();
        var worker = Assert.Single(workers);

        Volatile.Write(ref breakNext, 1);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!host.Logs.GetSnapshot().Any(r => r.Id.Name == "CycleFailed"))
            {
                Assert.True(DateTime.UtcNow < deadline, "The first cycle never ran.");
                await Task.Delay(10);
            }

            Assert.Empty(host.Api.Calls("banChatMember"));
            while ((await host.StatusAsync(7601)).Lapse != VipEntryLapseState.Handled)
            {
                Assert.True(DateTime.UtcNow < deadline, "No later cycle did the work.\n" + host.Api.Describe());
                host.Time.Advance(TimeSpan.FromMinutes(1));
                await Task.Delay(10);
            }
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Single(host.Api.Succeeded("banChatMember"));
        Assert.Contains(TimeSpan.FromMinutes(1), host.Time.Timers);
        Assert.True(((BackgroundService)worker).ExecuteTask!.IsCompleted);
    }

    [Fact]
    public async Task R17_TheHostedWorker_TurnedOff_DoesNothing()
    {
        await using var host = new TelegramTestHost(telegram: o => o.RunChannelWorker = false);
        await host.CompleteAsync(7602);
        await host.LapseAsync(7602);
        var before = host.Api.LastSequence;
        var worker = (BackgroundService)Assert.Single(host.Services.GetServices<IHostedService>());

        await worker.StartAsync(CancellationToken.None);
        await worker.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(before, host.Api.LastSequence);
        Assert.Equal(VipEntryLapseState.Pending, (await host.StatusAsync(7602)).Lapse);

        // The host runs the same cycle itself (IVipEntryChannelWorker.RunOnceAsync; HandleLapsesAsync is gone, issue 14).
        Assert.Equal(VipEntryChannelCycleReport.Empty with { Removed = 1, LapsesConfirmed = 1 }, await host.RunChannelCycleAsync());
        Assert.Single(host.Api.Succeeded("banChatMember"));
        Assert.Equal(VipEntryLapseState.Handled, (await host.StatusAsync(7602)).Lapse);
    }
}
