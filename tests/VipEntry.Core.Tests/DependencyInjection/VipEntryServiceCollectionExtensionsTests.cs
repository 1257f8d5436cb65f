using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Engine;
using VipEntry.Core.Links;
using VipEntry.Core.Messages;
using VipEntry.Core.Options;
using VipEntry.Core.Results;
using VipEntry.Core.Storage;
using VipEntry.Core.Tests.Support;
using VipEntry.Core.Tokens;

namespace VipEntry.Core.Tests.DependencyInjection;

public sealed class VipEntryServiceCollectionExtensionsTests
{
    [Fact]
    public async Task DI_AddVipEntry_with_the_in_memory_store_resolves_a_working_engine()
    {
        var services = new ServiceCollection();
        services.AddVipEntry().UseInMemoryStore();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await using var scope = provider.CreateAsyncScope();

        var engine = scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();

        Assert.IsType<VipEntryStateMachine>(engine);
        Assert.IsType<RandomTokenGenerator>(provider.GetRequiredService<ITokenGenerator>());
        Assert.IsType<DefaultVipEntryMessageProvider>(provider.GetRequiredService<IVipEntryMessageProvider>());
        Assert.IsType<TokenLinkIssuer>(scope.ServiceProvider.GetRequiredService<IVipEntryLinkIssuer>());
        Assert.Same(provider.GetRequiredService<InMemoryVipEntryStore>(), provider.GetRequiredService<IVipEntryStore>());
        Assert.Equal(VipEntryOutcome.Started, (await engine.ActivateAsync(1, DateTimeOffset.UtcNow.AddDays(1))).Outcome);
    }

    [Fact]
    public async Task DI_Calling_AddVipEntry_twice_is_harmless()
    {
        var clock = new FakeTimeProvider(TestHost.Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddVipEntry(o => o.SweepBatchSize = 7).UseInMemoryStore();
        var count = services.Count;
        services.AddVipEntry(o => o.SweepBatchSize = 7).UseInMemoryStore();
        await using var provider = services.BuildServiceProvider(validateScopes: true);
        await using var scope = provider.CreateAsyncScope();

        Assert.Single(services, d => d.ServiceType == typeof(IVipEntryStateMachine));
        Assert.Single(services, d => d.ServiceType == typeof(IVipEntryStore));
        Assert.Single(services, d => d.ServiceType == typeof(ITokenGenerator));
        Assert.Single(services, d => d.ServiceType == typeof(VipEntryMetrics));
        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider));
        Assert.Equal(2, provider.GetServices<IValidateOptions<VipEntryOptions>>().Count());
        Assert.Equal(7, provider.GetRequiredService<IOptions<VipEntryOptions>>().Value.SweepBatchSize);
        Assert.InRange(services.Count - count, 0, 2); // at most the second configure callback and options plumbing

        // The engine resolved is the core's, on the one store, and sweeps in batches of the configured 7.
        var engine = scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
        Assert.IsType<VipEntryStateMachine>(engine);
        for (long id = 1; id <= 8; id++)
        {
            Assert.Equal(VipEntryOutcome.Started, (await engine.ActivateAsync(id, TestHost.Start.AddHours(1))).Outcome);
        }

        Assert.Equal(8, (await provider.GetRequiredService<InMemoryVipEntryStore>().ListClaimableLapsesAsync(TestHost.Start.AddHours(2), 100)).Count);
        clock.Advance(TimeSpan.FromHours(2));
        var first = await engine.SweepAsync();
        Assert.Equal(7, first.Lapses.Count);
        Assert.True(first.HasMore);
        Assert.Single((await engine.SweepAsync()).Lapses);
    }

    [Fact]
    public async Task R10_TimeProvider_System_is_the_fallback_clock()
    {
        var services = new ServiceCollection();
        services.AddVipEntry().UseInMemoryStore();
        await using var provider = services.BuildServiceProvider();

        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task R10_The_host_s_TimeProvider_is_respected_whether_registered_before_or_after()
    {
        var before = new FakeTimeProvider(TestHost.Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(before);
        services.AddVipEntry().UseInMemoryStore();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var engine = scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();

        await engine.ActivateAsync(1, TestHost.Start.AddHours(1));
        before.Advance(TimeSpan.FromHours(1));

        Assert.Same(before, provider.GetRequiredService<TimeProvider>());
        Assert.Equal(VipEntryOutcome.SubscriptionExpired, (await engine.AdvanceAsync(1, VipEntry.Core.Stages.VipEntryStage.ActivationConfirmation)).Outcome);

        var after = new FakeTimeProvider(TestHost.Start);
        var services2 = new ServiceCollection();
        services2.AddVipEntry().UseInMemoryStore();
        services2.AddSingleton<TimeProvider>(after);
        await using var provider2 = services2.BuildServiceProvider();
        Assert.Same(after, provider2.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task DI_A_host_registered_store_token_generator_and_issuer_win_over_the_defaults()
    {
        var store = new InMemoryVipEntryStore();
        var tokens = new DeterministicTokenGenerator(5);
        var services = new ServiceCollection();
        services.AddSingleton<IVipEntryStore>(store);
        services.AddSingleton<IVipEntryChannelStore>(new InMemoryVipEntryChannelStore());
        services.AddSingleton<ITokenGenerator>(tokens);
        services.AddVipEntry().UseInMemoryStore().UseLinkIssuer<FakeLinkIssuer>();
        await using var provider = services.BuildServiceProvider(validateScopes: true);
        await using var scope = provider.CreateAsyncScope();

        Assert.Same(store, provider.GetRequiredService<IVipEntryStore>());
        Assert.Same(tokens, provider.GetRequiredService<ITokenGenerator>());
        Assert.IsType<FakeLinkIssuer>(scope.ServiceProvider.GetRequiredService<IVipEntryLinkIssuer>());
        Assert.Single(services, d => d.ServiceType == typeof(IVipEntryLinkIssuer));
    }

    [Fact]
    public void DI_Adding_the_same_observer_twice_registers_it_once()
    {
        var services = new ServiceCollection();
        services.AddVipEntry().AddObserver<ThrowingObserver>().AddObserver<ThrowingObserver>();

        Assert.Single(services, d => d.ServiceType == typeof(IVipEntryObserver));
    }

    [Fact]
    public void R11_Null_arguments_to_registration_are_programmer_errors()
    {
        Assert.Throws<ArgumentNullException>(() => VipEntryServiceCollectionExtensions.AddVipEntry(null!));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddVipEntry().ConfigureMessages(null!));
    }
}
