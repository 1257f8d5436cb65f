using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Registration;

/// <summary>Resolves the services from a real <see cref="ServiceCollection"/>.</summary>
public sealed class RegistrationTests : IDisposable
{
    private readonly SqliteDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Store_is_scoped_with_the_context_and_registration_is_idempotent()
    {
        var services = new ServiceCollection();
        services.AddDbContext<ReadyMadeContext>(o => o.UseSqlite(_db.ConnectionString));
        services.AddVipEntry().AddEntityFrameworkCoreStore<ReadyMadeContext>().AddEntityFrameworkCoreStore<ReadyMadeContext>();
        var descriptor = Assert.Single(services, d => d.ServiceType == typeof(IVipEntryStore));
        Assert.Equal(ServiceLifetime.Scoped, descriptor.Lifetime);

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await using var scope1 = provider.CreateAsyncScope();
        await using var scope2 = provider.CreateAsyncScope();
        var store1 = scope1.ServiceProvider.GetRequiredService<IVipEntryStore>();
        Assert.IsType<EfCoreVipEntryStore<ReadyMadeContext, VipEntrySubscriber>>(store1);
        Assert.Same(store1, scope1.ServiceProvider.GetRequiredService<IVipEntryStore>());
        var store2 = scope2.ServiceProvider.GetRequiredService<IVipEntryStore>();
        Assert.NotSame(store1, store2);
        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IVipEntryStore>());

        // The engine resolved works against the registered store: its activation is a row in the database, which the
        // other scope's store (its own context) reads.
        await scope1.ServiceProvider.GetRequiredService<ReadyMadeContext>().Database.EnsureCreatedAsync();
        var engine = scope1.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
        Assert.IsType<VipEntryStateMachine>(engine);
        var ends = DateTimeOffset.UtcNow.AddDays(30);
        Assert.Equal(VipEntryOutcome.Started, (await engine.ActivateAsync(1, ends)).Outcome);
        var record = await store2.FindAsync(1);
        Assert.Equal(VipEntryStage.ActivationConfirmation, record!.Stage);
        Assert.Equal(ends, record.SubscriptionEndsAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await scope2.ServiceProvider.GetRequiredService<ReadyMadeContext>().Set<VipEntrySubscriber>().CountAsync(s => s.UserId == 1));
    }

    [Fact]
    public async Task R19_both_registrations_add_the_scoped_channel_store_once_and_keep_one_registered_first()
    {
        foreach (var hostEntity in new[] { false, true })
        {
            var services = new ServiceCollection();
            services.AddDbContext<LegacyBotContext>(o => o.UseSqlite(_db.ConnectionString));
            services.AddDbContext<ReadyMadeContext>(o => o.UseSqlite(_db.ConnectionString));
            var builder = services.AddVipEntry();
            for (var i = 0; i < 2; i++)
            {
                _ = hostEntity ? builder.AddEntityFrameworkCoreStore<LegacyBotContext, LegacySubscriber>() : builder.AddEntityFrameworkCoreStore<ReadyMadeContext>();
            }

            var descriptor = Assert.Single(services, d => d.ServiceType == typeof(IVipEntryChannelStore));
            Assert.Equal(ServiceLifetime.Scoped, descriptor.Lifetime);
            await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
            await using var scope1 = provider.CreateAsyncScope();
            await using var scope2 = provider.CreateAsyncScope();
            var store1 = scope1.ServiceProvider.GetRequiredService<IVipEntryChannelStore>();
            Assert.Equal(hostEntity ? typeof(EfCoreVipEntryChannelStore<LegacyBotContext>) : typeof(EfCoreVipEntryChannelStore<ReadyMadeContext>), store1.GetType());
            Assert.Same(store1, scope1.ServiceProvider.GetRequiredService<IVipEntryChannelStore>());
            Assert.NotSame(store1, scope2.ServiceProvider.GetRequiredService<IVipEntryChannelStore>());
        }

        var first = new ServiceCollection();
        first.AddDbContext<ReadyMadeContext>(o => o.UseSqlite(_db.ConnectionString));
        first.AddVipEntry().UseInMemoryStore().AddEntityFrameworkCoreStore<ReadyMadeContext>();
        await using var inMemory = first.BuildServiceProvider();
        await using var scope = inMemory.CreateAsyncScope();
        Assert.IsType<InMemoryVipEntryChannelStore>(scope.ServiceProvider.GetRequiredService<IVipEntryChannelStore>());
    }

    [Fact]
    public async Task A_store_registered_first_is_not_replaced()
    {
        var services = new ServiceCollection();
        services.AddDbContext<ReadyMadeContext>(o => o.UseSqlite(_db.ConnectionString));
        services.AddVipEntry().UseInMemoryStore().AddEntityFrameworkCoreStore<ReadyMadeContext>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        Assert.IsType<InMemoryVipEntryStore>(scope.ServiceProvider.GetRequiredService<IVipEntryStore>());
    }

    [Fact]
    public async Task Ready_made_registration_on_a_host_entity_model_explains_the_fix()
    {
        var services = new ServiceCollection();
        services.AddDbContext<LegacyBotContext>(o => o.UseSqlite(_db.ConnectionString));
        services.AddVipEntry().AddEntityFrameworkCoreStore<LegacyBotContext>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var ex = Assert.Throws<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<IVipEntryStore>());
        Assert.Contains("AddEntityFrameworkCoreStore<LegacyBotContext, LegacySubscriber>()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_entity_registration_resolves_and_never_inserts()
    {
        var services = new ServiceCollection();
        services.AddDbContext<LegacyBotContext>(o => o.UseSqlite(_db.ConnectionString));
        services.AddVipEntry().AddEntityFrameworkCoreStore<LegacyBotContext, LegacySubscriber>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<LegacyBotContext>();
        await context.Database.EnsureCreatedAsync();
        var store = scope.ServiceProvider.GetRequiredService<IVipEntryStore>();
        Assert.False(await store.TryCreateAsync(1, DateTimeOffset.UtcNow.AddDays(1)));
        Assert.Equal(0, await context.Set<LegacySubscriber>().CountAsync());
    }

    [Fact]
    public async Task Create_does_not_save_the_hosts_pending_changes()
    {
        var services = new ServiceCollection();
        services.AddDbContext<ReadyMadeContext>(o => o.UseSqlite(_db.ConnectionString));
        services.AddVipEntry().AddEntityFrameworkCoreStore<ReadyMadeContext>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<ReadyMadeContext>();
        await context.Database.EnsureCreatedAsync();
        context.Add(new VipEntrySubscriber { UserId = 99, ExpiresAt = DateTimeOffset.UtcNow.AddDays(1) });
        Assert.True(await scope.ServiceProvider.GetRequiredService<IVipEntryStore>().TryCreateAsync(1, DateTimeOffset.UtcNow.AddDays(1)));
        Assert.Equal([1L], await context.Set<VipEntrySubscriber>().AsNoTracking().Select(s => s.UserId).ToListAsync());
        Assert.True(context.ChangeTracker.HasChanges());
    }

    [Fact]
    public async Task R8_The_store_joins_the_hosts_transaction_so_a_sweep_and_the_hosts_own_writes_commit_or_roll_back_together()
    {
        var services = new ServiceCollection();
        services.AddDbContext<ReadyMadeContext>(o => o.UseSqlite(_db.ConnectionString));
        services.AddVipEntry().AddEntityFrameworkCoreStore<ReadyMadeContext>();
        await using var provider = services.BuildServiceProvider();
        await using (var setup = provider.CreateAsyncScope())
        {
            await setup.ServiceProvider.GetRequiredService<ReadyMadeContext>().Database.EnsureCreatedAsync();
            Assert.True(await setup.ServiceProvider.GetRequiredService<IVipEntryStore>().TryCreateAsync(1, DateTimeOffset.UtcNow.AddSeconds(-1)));
        }

        await using (var scope = provider.CreateAsyncScope())
        {
            var context = scope.ServiceProvider.GetRequiredService<ReadyMadeContext>();
            await using var transaction = await context.Database.BeginTransactionAsync();
            var sweep = await scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>().SweepAsync();
            Assert.Single(sweep.Lapses);
            await transaction.RollbackAsync(); // the host failed to record the removal
        }

        await using (var again = provider.CreateAsyncScope())
        {
            // Nothing was lost: the lapse is reported again, once.
            var machine = again.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
            Assert.Single((await machine.SweepAsync()).Lapses);
            Assert.Empty((await machine.SweepAsync()).Lapses);
        }
    }
}
