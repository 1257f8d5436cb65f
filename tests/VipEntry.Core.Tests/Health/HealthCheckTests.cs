using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using VipEntry.Core.Channel;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Health;
using VipEntry.Core.Storage;
using VipEntry.Core.Tests.Support;

namespace VipEntry.Core.Tests.Health;

/// <summary>
/// Issue 15: <c>services.AddHealthChecks().AddVipEntryChecks()</c> on a real service provider and the fake clock: "the store
/// answers" and "the channel worker completed a cycle recently", each red then green.
/// </summary>
public sealed class HealthCheckTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Issue15_TheStoreCheck_IsUnhealthyWhileTheStoreDoesNotAnswer_AndHealthyOnceItDoes()
    {
        var down = true;
        await using var provider = Build(time: new FakeTimeProvider(Start), channel: null, services: s => s.AddScoped<IVipEntryStore>(sp =>
            Volatile.Read(ref down) ? throw new InvalidOperationException("connection refused") : sp.GetRequiredService<InMemoryVipEntryStore>()));

        var red = await CheckAsync(provider, VipEntryHealthChecksBuilderExtensions.StoreCheckName);
        Assert.Equal(HealthStatus.Unhealthy, red.Status);
        Assert.Contains("does not answer (InvalidOperationException)", red.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status);

        Volatile.Write(ref down, false);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(provider, VipEntryHealthChecksBuilderExtensions.StoreCheckName)).Status);
    }

    [Fact]
    public async Task Issue15_TheWorkerCheck_IsUnhealthyAfterThreeIntervalsWithoutACompletedCycle_AndHealthyAfterACycle()
    {
        var time = new FakeTimeProvider(Start);
        var worker = new SwitchableWorker { Broken = true };
        await using var provider = Build(time, channel: w => w.Interval = Interval, services: s => s.AddScoped<IVipEntryChannelWorker>(_ => worker));
        const string name = VipEntryHealthChecksBuilderExtensions.ChannelWorkerCheckName;

        // Not started yet: degraded (200 on an endpoint), not a failure.
        Assert.Equal(HealthStatus.Degraded, (await CheckAsync(provider, name)).Status);

        var hosted = Assert.Single(provider.GetServices<IHostedService>().OfType<VipEntryChannelHostedService>());
        await hosted.StartAsync(CancellationToken.None);
        try
        {
            // The first cycle (at start) fails: within three intervals of the start that is "pending", degraded.
            await WaitAsync(() => worker.Attempts >= 1);
            Assert.Equal(HealthStatus.Degraded, (await CheckAsync(provider, name)).Status);

            // Three intervals of failing cycles: unhealthy.
            for (var tick = 2; tick <= 4; tick++)
            {
                time.Advance(Interval);
                var expected = tick;
                await WaitAsync(() => worker.Attempts >= expected);
            }

            time.Advance(TimeSpan.FromSeconds(1));
            var red = await CheckAsync(provider, name);
            Assert.Equal(HealthStatus.Unhealthy, red.Status);
            Assert.Contains("has completed no cycle since it started", red.Description, StringComparison.Ordinal);

            // The next cycle completes: healthy.
            worker.Broken = false;
            time.Advance(Interval);
            await WaitAsync(() => worker.Completed >= 1);
            await WaitAsync(async () => (await CheckAsync(provider, name)).Status == HealthStatus.Healthy);

            // Then three more intervals with failing cycles only: unhealthy again, counted from the last completed cycle.
            worker.Broken = true;
            time.Advance(Interval * 3);
            await WaitAsync(() => worker.Attempts >= 6);
            Assert.Equal(HealthStatus.Healthy, (await CheckAsync(provider, name)).Status);
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(HealthStatus.Unhealthy, (await CheckAsync(provider, name)).Status);
        }
        finally
        {
            await hosted.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task Issue15_TheWorkerCheck_IsHealthy_WhenTheWorkerIsDisabled_OrNoChannelIsPluggedIn()
    {
        await using var disabled = Build(new FakeTimeProvider(Start), channel: w => w.Enabled = false);
        var hosted = Assert.Single(disabled.GetServices<IHostedService>().OfType<VipEntryChannelHostedService>());
        await hosted.StartAsync(CancellationToken.None);
        await hosted.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
        var off = await CheckAsync(disabled, VipEntryHealthChecksBuilderExtensions.ChannelWorkerCheckName);
        Assert.Equal(HealthStatus.Healthy, off.Status);
        Assert.Contains("disabled", off.Description, StringComparison.Ordinal);

        await using var none = Build(new FakeTimeProvider(Start), channel: null);
        var absent = await CheckAsync(none, VipEntryHealthChecksBuilderExtensions.ChannelWorkerCheckName);
        Assert.Equal(HealthStatus.Healthy, absent.Status);
        Assert.Contains("UseChannel", absent.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, (await none.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status);
    }

    [Fact]
    public async Task Issue15_AddVipEntryChecks_RegistersBothChecks_WithTheGivenTagsAndFailureStatus()
    {
        var services = new ServiceCollection();
        services.AddHealthChecks().AddVipEntryChecks(HealthStatus.Degraded, ["ready"]);
        await using var provider = services.BuildServiceProvider();

        var registrations = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        Assert.Equal(
            [VipEntryHealthChecksBuilderExtensions.ChannelWorkerCheckName, VipEntryHealthChecksBuilderExtensions.StoreCheckName],
            registrations.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(registrations, r =>
        {
            Assert.Equal(HealthStatus.Degraded, r.FailureStatus);
            Assert.Equal(["ready"], r.Tags);
        });
    }

    private static ServiceProvider Build(FakeTimeProvider time, Action<VipEntryChannelWorkerOptions>? channel, Action<IServiceCollection>? services = null)
    {
        var s = new ServiceCollection();
        s.AddLogging();
        s.AddSingleton<TimeProvider>(time);
        services?.Invoke(s);
        var vipEntry = s.AddVipEntry().UseInMemoryStore();
        if (channel is not null)
        {
            vipEntry.UseChannel<ModelChannel>(channel, ServiceLifetime.Singleton);
        }

        s.AddHealthChecks().AddVipEntryChecks();
        return s.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    private static async Task<HealthReportEntry> CheckAsync(IServiceProvider provider, string name)
    {
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == name);
        return report.Entries[name];
    }

    private static Task WaitAsync(Func<bool> condition) => WaitAsync(() => Task.FromResult(condition()));

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition never held.");
            await Task.Delay(5);
        }
    }

    private sealed class SwitchableWorker : IVipEntryChannelWorker
    {
        private int _attempts;
        private int _completed;
        private volatile bool _broken;

        public bool Broken
        {
            get => _broken;
            set => _broken = value;
        }

        public int Attempts => Volatile.Read(ref _attempts);

        public int Completed => Volatile.Read(ref _completed);

        public ValueTask<VipEntryChannelCycleReport> RunOnceAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _attempts);
            if (_broken)
            {
                throw new InvalidOperationException("the database is down");
            }

            Interlocked.Increment(ref _completed);
            return ValueTask.FromResult(VipEntryChannelCycleReport.Empty);
        }

        public ValueTask<VipEntryChannelCycleReport> WorkOnAsync(long personId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(VipEntryChannelCycleReport.Empty);
    }
}
