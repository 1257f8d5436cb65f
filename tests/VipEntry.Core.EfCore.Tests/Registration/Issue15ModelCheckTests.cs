using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Registration;

/// <summary>
/// Issue 15, point 2: a host whose context lacks <c>modelBuilder.AddVipEntrySubscribers()</c> / <c>HasVipEntry</c> fails to
/// start (a real generic host's <c>StartAsync</c>) with the store's own message, instead of starting fine and failing on
/// every update and every worker cycle.
/// </summary>
public sealed class Issue15ModelCheckTests : IDisposable
{
    private readonly SqliteDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private IHost Host<TContext>(Action<VipEntryBuilder> store)
        where TContext : DbContext
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddDbContext<TContext>(o => o.UseSqlite(_db.ConnectionString));
        store(builder.Services.AddVipEntry());
        return builder.Build();
    }

    [Fact]
    public async Task Issue15_A_context_without_the_model_call_fails_at_start_with_the_stores_message()
    {
        using var host = Host<ForgetfulContext>(b => b.AddEntityFrameworkCoreStore<ForgetfulContext>());

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        // The ritual's table, the channel table (R19), the payments table (issue 17) and the webhook update claims table
        // (issue 15, point 8), each with the call that maps it.
        Assert.Equal(4, failure.Failures.Count());
        Assert.Contains(
            "The model of 'ForgetfulContext' has no VipEntry update claims table. It is mapped by the same call as the ritual: modelBuilder.AddVipEntrySubscribers() or entity.HasVipEntry(...) in OnModelCreating.",
            failure.Failures);
        Assert.Contains(
            "'VipEntrySubscriber' carries no VipEntry mapping in the model of 'ForgetfulContext'. Call modelBuilder.AddVipEntrySubscribers() or entity.HasVipEntry(...) in OnModelCreating.",
            failure.Failures);
        Assert.Contains(failure.Failures, f => f.StartsWith("The model of 'ForgetfulContext' has no VipEntry channel table (R19).", StringComparison.Ordinal)
            && f.Contains("modelBuilder.AddVipEntrySubscribers()", StringComparison.Ordinal));
        Assert.Contains(
            "The model of 'ForgetfulContext' has no VipEntry payments table. It is mapped by the same call as the ritual: modelBuilder.AddVipEntrySubscribers() or entity.HasVipEntry(...) in OnModelCreating.",
            failure.Failures);
    }

    [Fact]
    public async Task Issue17_A_context_without_the_payments_table_fails_at_start_with_the_stores_message()
    {
        using var host = Host<PaymentlessContext>(b => b.AddEntityFrameworkCoreStore<PaymentlessContext>());

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            ["The model of 'PaymentlessContext' has no VipEntry payments table. It is mapped by the same call as the ritual: modelBuilder.AddVipEntrySubscribers() or entity.HasVipEntry(...) in OnModelCreating."],
            failure.Failures);
    }

    [Fact]
    public async Task Issue17_A_payment_store_registered_before_the_EF_store_is_the_one_checked_and_used()
    {
        // The host's own payment store wins (TryAdd), so the missing table is no failure.
        using var host = Host<PaymentlessContext>(b =>
        {
            b.Services.AddSingleton<VipEntry.Core.Storage.IVipEntryPaymentStore, VipEntry.Core.Storage.InMemoryVipEntryPaymentStore>();
            b.AddEntityFrameworkCoreStore<PaymentlessContext>();
        });
        await host.StartAsync(TestContext.Current.CancellationToken);
        Assert.IsType<VipEntry.Core.Storage.InMemoryVipEntryPaymentStore>(host.Services.GetRequiredService<VipEntry.Core.Storage.IVipEntryPaymentStore>());
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Issue15_The_ready_made_store_on_a_context_mapping_its_own_entity_fails_at_start_naming_the_right_registration()
    {
        using var host = Host<LegacyBotContext>(b => b.AddEntityFrameworkCoreStore<LegacyBotContext>());

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("The ritual is mapped on 'LegacySubscriber': register AddEntityFrameworkCoreStore<LegacyBotContext, LegacySubscriber>().", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue15_A_context_with_the_model_call_starts_without_touching_the_database()
    {
        // No schema was created: the check builds the model only, it opens no connection.
        using var ready = Host<ReadyMadeContext>(b => b.AddEntityFrameworkCoreStore<ReadyMadeContext>());
        await ready.StartAsync(TestContext.Current.CancellationToken);
        await ready.StopAsync(TestContext.Current.CancellationToken);

        using var legacy = Host<LegacyBotContext>(b => b.AddEntityFrameworkCoreStore<LegacyBotContext, LegacySubscriber>());
        await legacy.StartAsync(TestContext.Current.CancellationToken);
        await legacy.StopAsync(TestContext.Current.CancellationToken);
    }
}
