using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Migrations;

/// <summary>
/// The SQLite upgrade script writes times (the lapse record of already-expired members) with its own SQL expression.
/// The store compares times for equality in its compare-and-set, so that expression must give exactly the text EF Core
/// writes for the same instant — including instants whose milliseconds end in zero, where a plain
/// <c>strftime('%f')</c> (three digits, "…00.120") differs from EF's "…00.12" and every renewal would lose.
/// </summary>
public sealed class SqliteScriptTimeFormatTests : IDisposable
{
    private readonly SqliteDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData("2020-01-01T00:00:00.120Z")]
    [InlineData("2020-01-01T00:00:00.000Z")]
    [InlineData("2020-01-01T00:00:10.000Z")]
    [InlineData("2020-01-01T00:00:10.100Z")]
    [InlineData("2020-01-01T23:59:59.123Z")]
    public async Task R10_The_upgrade_scripts_now_writes_the_same_text_as_EF_Core_for_the_same_instant(string instant)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        await using (var context = new ReadyMadeContext(new DbContextOptionsBuilder<ReadyMadeContext>().UseSqlite(_db.ConnectionString).Options))
        {
            await context.Database.EnsureCreatedAsync();
            context.Add(new VipEntrySubscriber { UserId = 1, ExpiresAt = at });
            await context.SaveChangesAsync();
        }

        // The script's "now" expression, evaluated at the same instant instead of the wall clock.
        var scriptNow = VipEntrySql.GetUpgradeStatements(VipEntrySqlDialect.Sqlite)
            .Single(s => s.Contains("SET \"vip_entry_lapse_handled_at\" = ", StringComparison.Ordinal))
            .Split(" = ", 2)[1].Split(" WHERE ", 2)[0]
            .Replace("'now'", $"'{at.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}'", StringComparison.Ordinal);

        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT expires_at, {scriptNow} FROM vip_subscribers WHERE user_id = 1";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(reader.GetString(0), reader.GetString(1));
    }

    [Fact]
    public async Task R8_A_lapse_whose_end_another_program_wrote_in_its_own_text_form_is_still_swept_once()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.EntityFrameworkServiceCollectionExtensions.AddDbContext<ReadyMadeContext>(services, o => o.UseSqlite(_db.ConnectionString));
        VipEntry.Core.DependencyInjection.VipEntryServiceCollectionExtensions.AddVipEntry(services).AddEntityFrameworkCoreStore<ReadyMadeContext>();
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        await using (var setup = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(provider))
        {
            var context = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ReadyMadeContext>(setup.ServiceProvider);
            await context.Database.EnsureCreatedAsync();

            // SQLAlchemy's SQLite DateTime text: always six fraction digits, unlike EF Core's "…:00".
            await context.Database.ExecuteSqlRawAsync("INSERT INTO vip_subscribers (user_id, expires_at, vip_entry_stage) VALUES (1, '2020-01-01 00:00:00.000000', NULL)");
        }

        await using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(provider);
        var machine = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<VipEntry.Core.Engine.IVipEntryStateMachine>(scope.ServiceProvider);
        var lapse = Assert.Single((await machine.SweepAsync()).Lapses);
        Assert.True(lapse.ShouldRemoveFromChannel);
        Assert.Empty((await machine.SweepAsync()).Lapses);
    }

    [Fact]
    public async Task R2_A_member_whose_end_another_program_wrote_in_its_own_text_form_can_renew()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.EntityFrameworkServiceCollectionExtensions.AddDbContext<ReadyMadeContext>(services, o => o.UseSqlite(_db.ConnectionString));
        VipEntry.Core.DependencyInjection.VipEntryServiceCollectionExtensions.AddVipEntry(services).AddEntityFrameworkCoreStore<ReadyMadeContext>();
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var end = DateTimeOffset.UtcNow.AddDays(3);
        await using (var setup = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(provider))
        {
            var context = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ReadyMadeContext>(setup.ServiceProvider);
            await context.Database.EnsureCreatedAsync();
            var sqlAlchemyText = end.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + ".000000";
            await context.Database.ExecuteSqlRawAsync("INSERT INTO vip_subscribers (user_id, expires_at, vip_entry_stage) VALUES (1, {0}, 2)", sqlAlchemyText);
        }

        await using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(provider);
        var machine = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<VipEntry.Core.Engine.IVipEntryStateMachine>(scope.ServiceProvider);
        var renewed = await machine.ActivateAsync(1, end.AddDays(30));

        Assert.Equal(VipEntry.Core.Results.VipEntryOutcome.Restarted, renewed.Outcome);
        Assert.Equal(VipEntry.Core.Stages.VipEntryStage.ActivationConfirmation, renewed.Stage);
    }
}
