using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Engine;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Contract;

/// <summary>A fresh service provider per test over the class's database, a fake clock and a scope per call.</summary>
public abstract class StoreTestBase<TBackend>(TBackend backend) : IClassFixture<TBackend>, IAsyncLifetime
    where TBackend : StoreBackend
{
    protected static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly List<AsyncServiceScope> _scopes = [];
    private ServiceProvider? _provider;

    protected TBackend Backend { get; } = backend;

    protected FakeTimeProvider Clock { get; } = new(Start);

    protected TestLinkSettings Links { get; } = new();

    protected DateTimeOffset Now => Clock.GetUtcNow();

    protected ServiceProvider Provider => _provider!;

    public virtual async ValueTask InitializeAsync()
    {
        await Backend.RequireAsync();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(Links);
        var builder = services.AddVipEntry(o =>
        {
            o.ReissueCooldown = TimeSpan.FromMinutes(5);
            o.SweepBatchSize = 2;
            Configure(o);
        });
        builder.UseLinkIssuer<TestLinkIssuer>();
        Backend.Register(services, builder, Counter);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await Backend.ResetAsync(_provider);
    }

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var scope in _scopes)
        {
            await scope.DisposeAsync();
        }

        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Further options for a test class (applied after the defaults above).</summary>
    protected virtual void Configure(Options.VipEntryOptions options)
    {
    }

    /// <summary>An interceptor for EF backends, when a test class wants statement counts.</summary>
    protected virtual CommandCounter? Counter => null;

    protected IServiceProvider NewScope()
    {
        var scope = Provider.CreateAsyncScope();
        _scopes.Add(scope);
        return scope.ServiceProvider;
    }

    protected IVipEntryStore Store() => NewScope().GetRequiredService<IVipEntryStore>();

    protected IVipEntryStateMachine Machine() => NewScope().GetRequiredService<IVipEntryStateMachine>();

    /// <summary>Enrolls a subscriber at stage 1: through the store, or as the host inserts its own row.</summary>
    protected async Task EnrollAsync(long id, TimeSpan? duration = null)
    {
        var ends = Now + (duration ?? TimeSpan.FromDays(30));
        if (Backend.CanCreate)
        {
            Assert.True(await Store().TryCreateAsync(id, ends));
        }
        else
        {
            await Backend.SeedHostRowAsync(Provider, id, ends);
        }
    }

    protected async Task<VipEntryRecord> GetAsync(long id) => Assert.IsType<VipEntryRecord>(await Store().FindAsync(id));

    protected async Task EnrollAtStage3Async(long id, TimeSpan? duration = null)
    {
        await EnrollAsync(id, duration);
        Assert.True(await Store().TryAdvanceAsync(id, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, Now));
        Assert.True(await Store().TryAdvanceAsync(id, VipEntryStage.ExpectationAlignment, VipEntryStage.AccessDelivery, Now));
    }

    protected static string HashOf(char c) => new(c, 64);

    /// <summary>Claims a lapse as read and confirms it at once (the whole R17 cycle through the store).</summary>
    protected async Task<bool> ClaimAndConfirmLapseAsync(VipEntryRecord read)
    {
        var claim = Guid.NewGuid().ToString("N");
        return await Store().TryClaimLapseAsync(read, claim, Now, Now.AddMinutes(10))
            && await Store().TryConfirmLapseAsync(read.SubscriberId, claim, Now);
    }
}
