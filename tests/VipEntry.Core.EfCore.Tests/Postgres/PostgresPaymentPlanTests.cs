using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Postgres;

/// <summary>
/// Issue 17 on PostgreSQL: on 120,000 payments (98 % applied, 1 % orphaned before they were applied, some refunds with
/// their renewal cancellation owed) after ANALYZE, the plans of the exact statements the payment store sends read the
/// unapplied index and the cancellation index for the batch claims (whose update then finds each row by key), the
/// (user id, paid at) index for a member's latest payment and the key for a compare-and-set; never a sequential scan.
/// The plans are printed to the test output.
/// </summary>
[Collection(HeavyPostgres.Name)]
public sealed class PostgresPaymentPlanTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rows = 120_000;
    private string? _connectionString;

    public async ValueTask InitializeAsync()
    {
        if (!await PostgresServer.IsAvailableAsync())
        {
            return;
        }

        _connectionString = await PostgresServer.CreateDatabaseAsync("payplan");
        await using var context = new ReadyMadeContext(new DbContextOptionsBuilder<ReadyMadeContext>().UseNpgsql(_connectionString).Options);
        await context.Database.EnsureCreatedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_connectionString is not null)
        {
            await PostgresServer.DropDatabaseAsync(_connectionString);
        }
    }

    [Fact]
    public async Task Issue17_The_batch_claims_and_the_latest_payment_use_their_indexes_on_120k_payments()
    {
        await PostgresServer.RequireAsync();
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"""
            INSERT INTO vip_entry_payments (charge_id, user_id, currency, amount, paid_at, period_end, is_recurring, is_first_recurring,
                                            applied_at, refunded_at, renewal_canceled_at, claim_owner, claim_until)
            SELECT 'charge-' || i, i % 20000, 'XTR', 250,
                   now() - (i % 365) * interval '1 day' - (i % 86400) * interval '1 second', now() + interval '30 days', TRUE, FALSE,
                   CASE WHEN i % 100 = 0 THEN NULL ELSE now() - interval '1 day' END,
                   CASE WHEN i % 100 <> 0 AND (i % 250 = 1 OR i % 50 = 2) THEN now() - (i % 300) * interval '1 minute' ELSE NULL END,
                   CASE WHEN i % 100 <> 0 AND i % 50 = 2 THEN now() - interval '1 minute' ELSE NULL END,
                   CASE WHEN i % 100 = 0 THEN 'dead' ELSE NULL END,
                   CASE WHEN i % 100 = 0 THEN now() - interval '1 hour' ELSE NULL END
            FROM generate_series(1, {Rows}) AS i
            """);
        await ExecuteAsync(connection, "ANALYZE vip_entry_payments");

        var counter = new CommandCounter();
        var services = new ServiceCollection();
        services.AddDbContext<ReadyMadeContext>(o => o.UseNpgsql(_connectionString).AddInterceptors(counter));
        services.AddVipEntry().AddEntityFrameworkCoreStore<ReadyMadeContext>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var payments = scope.ServiceProvider.GetRequiredService<IVipEntryPaymentStore>();
        var now = DateTimeOffset.UtcNow;

        counter.Clear();
        var unapplied = await payments.ClaimUnappliedAsync("w", now, now.AddMinutes(5), 100);
        Assert.Equal(100, unapplied.Count);
        var unappliedPlan = await ExplainAsync(connection, Assert.Single(counter.Commands));
        Assert.Contains("idx_vip_entry_payments_unapplied", unappliedPlan, StringComparison.Ordinal);
        Assert.Contains("pk_vip_entry_payments", unappliedPlan, StringComparison.Ordinal);

        counter.Clear();
        var owed = await payments.ClaimOwedCancellationsAsync("w", now, now.AddMinutes(5), 100);
        Assert.Equal(100, owed.Count);
        var owedPlan = await ExplainAsync(connection, Assert.Single(counter.Commands));
        Assert.Contains("idx_vip_entry_payments_cancel", owedPlan, StringComparison.Ordinal);

        counter.Clear();
        Assert.NotNull(await payments.FindLatestAsync(1234));
        var latestPlan = await ExplainAsync(connection, Assert.Single(counter.Commands));
        Assert.Contains("idx_vip_entry_payments_latest", latestPlan, StringComparison.Ordinal);

        counter.Clear();
        Assert.True(await payments.MarkAppliedAsync(unapplied[0].ChargeId, "w", now));
        var markPlan = await ExplainAsync(connection, Assert.Single(counter.Commands));
        Assert.Contains("pk_vip_entry_payments", markPlan, StringComparison.Ordinal);

        foreach (var plan in new[] { unappliedPlan, owedPlan, latestPlan, markPlan })
        {
            Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        }

        output.WriteLine($"claim unapplied plan:\n{unappliedPlan}\n\nclaim owed cancellations plan:\n{owedPlan}\n\nlatest payment plan:\n{latestPlan}\n\nmark applied plan:\n{markPlan}");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    // EXPLAIN (without ANALYZE: nothing runs) of the exact statement EF Core sent, with the same parameter values.
    private static async Task<string> ExplainAsync(NpgsqlConnection connection, (string Sql, (string Name, object? Value)[] Parameters) statement)
    {
        await using var command = new NpgsqlCommand("EXPLAIN " + statement.Sql, connection);
        foreach (var (name, value) in statement.Parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        }

        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
