using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Engine;
using VipEntry.Core.Links;
using VipEntry.Core.Options;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Tokens;

namespace VipEntry.Core.Tests.Support;

/// <summary>
/// A real DI container with the in-memory store, a fake clock, fake logging, a test meter factory and,
/// unless <c>tokenLinks</c> is set, the recording <see cref="FakeLinkIssuer"/>.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;
    private readonly AsyncServiceScope _scope;

    public TestHost(
        Action<VipEntryOptions>? configure = null,
        bool tokenLinks = false,
        Action<VipEntryBuilder>? build = null,
        ITokenGenerator? tokens = null,
        TimeProvider? clock = null)
    {
        Time = new FakeTimeProvider(Start);
        var services = new ServiceCollection();
        services.AddFakeLogging();
        services.AddSingleton<System.Diagnostics.Metrics.IMeterFactory>(MeterFactory);
        services.AddSingleton(clock ?? Time);
        services.AddSingleton(Sink);
        if (tokens is not null)
        {
            services.AddSingleton(tokens);
        }

        var builder = services.AddVipEntry(configure).UseInMemoryStore().AddObserver<RecordingObserver>();
        if (!tokenLinks)
        {
            builder.UseLinkIssuer<FakeLinkIssuer>(ServiceLifetime.Singleton);
        }

        build?.Invoke(builder);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _scope = _provider.CreateAsyncScope();
        Engine = _scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
        Store = _provider.GetRequiredService<InMemoryVipEntryStore>();
        Logs = _provider.GetFakeLogCollector();
        Issuer = _scope.ServiceProvider.GetRequiredService<IVipEntryLinkIssuer>() as FakeLinkIssuer;
    }

    public FakeTimeProvider Time { get; }

    public TestMeterFactory MeterFactory { get; } = new();

    public TransitionSink Sink { get; } = new();

    public IVipEntryStateMachine Engine { get; }

    public InMemoryVipEntryStore Store { get; }

    public FakeLogCollector Logs { get; }

    public FakeLinkIssuer? Issuer { get; }

    public IServiceProvider Services => _scope.ServiceProvider;

    /// <summary>A scope of its own, as another request, worker or bot replica would have it (dispose it).</summary>
    public AsyncServiceScope CreateScope() => _provider.CreateAsyncScope();

    /// <summary>An engine in a scope of its own, as another request or bot replica would have it.</summary>
    public async Task<T> InNewScopeAsync<T>(Func<IVipEntryStateMachine, Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = _provider.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>());
    }

    public DateTimeOffset Now => Time.GetUtcNow();

    public async Task<VipEntryRecord?> RecordAsync(long id) => await Store.FindAsync(id);

    public async Task<VipEntryStage> StageAsync(long id) => (await Store.FindAsync(id))?.Stage ?? VipEntryStage.NotEnrolled;

    /// <summary>Activates for 30 days and walks to <paramref name="stage"/> (1, 2 or 3) through the public API.</summary>
    public async Task WalkToAsync(long id, VipEntryStage stage, TimeSpan? subscription = null)
    {
        var activated = await Engine.ActivateAsync(id, Now + (subscription ?? TimeSpan.FromDays(30)));
        Assert.True(activated.Succeeded, activated.ToString());
        if (stage >= VipEntryStage.ExpectationAlignment)
        {
            Assert.Equal(Results.VipEntryOutcome.Advanced, (await Engine.AdvanceAsync(id, VipEntryStage.ActivationConfirmation)).Outcome);
        }

        if (stage >= VipEntryStage.AccessDelivery)
        {
            Assert.Equal(Results.VipEntryOutcome.Advanced, (await Engine.AdvanceAsync(id, VipEntryStage.ExpectationAlignment)).Outcome);
        }
    }

    /// <summary>Walks to stage 3 and delivers access; returns the link and the plain token the issuer was given.</summary>
    public async Task<(string Link, string Token)> IssueAsync(long id, TimeSpan? subscription = null)
    {
        await WalkToAsync(id, VipEntryStage.AccessDelivery, subscription);
        var issued = await Engine.DeliverAccessAsync(id);
        Assert.Equal(Results.VipEntryOutcome.AccessIssued, issued.Outcome);
        var link = issued.Access!.Link;
        var token = Issuer is not null ? Issuer.TokenByLink[link] : link;
        return (link, token);
    }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _provider.DisposeAsync();
        MeterFactory.Dispose();
    }
}
