using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Sqlite;

/// <summary>
/// Issue 17 on SQLite: on 100,000 payments (98 % applied, 1 % orphaned before they were applied, some refunds with their
/// renewal cancellation owed) after ANALYZE, <c>EXPLAIN QUERY PLAN</c> of the exact statements the payment store sends
/// shows both batch claims searching their index and a member's latest payment read from the (user id, paid at) index,
/// never a scan of the table. The plans are printed to the test output.
/// </summary>
public sealed class SqlitePaymentPlanTests(ITestOutputHelper output) : IDisposable
{
    private const int Rows = 100_000;
    private readonly SqliteDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Issue17_The_batch_claims_and_the_latest_payment_search_their_indexes_on_100k_payments()
    {
        await using (var context = new ReadyMadeContext(new DbContextOptionsBuilder<ReadyMadeContext>().UseSqlite(_database.ConnectionString).Options))
        {
            await context.Database.EnsureCreatedAsync();
        }

        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows})
            INSERT INTO vip_entry_payments (charge_id, user_id, currency, amount, paid_at, period_end, is_recurring, is_first_recurring,
                                            applied_at, refunded_at, renewal_canceled_at, claim_owner, claim_until)
            SELECT 'charge-' || i, i % 20000, 'XTR', 250,
                   strftime('%Y-%m-%d %H:%M:%S', 'now', '-' || (i % 365) || ' days', '-' || (i % 86400) || ' seconds'),
                   strftime('%Y-%m-%d %H:%M:%S', 'now', '+30 days'), 1, 0,
                   CASE WHEN i % 100 = 0 THEN NULL ELSE strftime('%Y-%m-%d %H:%M:%S', 'now', '-1 days') END,
                   CASE WHEN i % 100 <> 0 AND (i % 250 = 1 OR i % 50 = 2) THEN strftime('%Y-%m-%d %H:%M:%S', 'now', '-' || (i % 300) || ' minutes') ELSE NULL END,
                   CASE WHEN i % 100 <> 0 AND i % 50 = 2 THEN strftime('%Y-%m-%d %H:%M:%S', 'now', '-1 minutes') ELSE NULL END,
                   CASE WHEN i % 100 = 0 THEN 'dead' ELSE NULL END,
                   CASE WHEN i % 100 = 0 THEN strftime('%Y-%m-%d %H:%M:%S', 'now', '-1 hours') ELSE NULL END
            FROM n
            """);
        await ExecuteAsync(connection, "ANALYZE");

        var counter = new CommandCounter();
        var services = new ServiceCollection();
        services.AddDbContext<ReadyMadeContext>(o => o.UseSqlite(_database.ConnectionString).AddInterceptors(counter));
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

        foreach (var plan in new[] { unappliedPlan, owedPlan, latestPlan, markPlan })
        {
            Assert.Contains("SEARCH", plan, StringComparison.Ordinal);
            Assert.DoesNotContain(plan.Split('\n'), line => line.StartsWith("SCAN", StringComparison.Ordinal));
        }

        output.WriteLine($"claim unapplied plan:\n{unappliedPlan}\n\nclaim owed cancellations plan:\n{owedPlan}\n\nlatest payment plan:\n{latestPlan}\n\nmark applied plan:\n{markPlan}");
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL of the test.
        command.CommandText = sql;
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync();
    }

    // EXPLAIN QUERY PLAN of the exact statement EF Core sent, with the same parameter values (nothing is executed).
    private static async Task<string> ExplainAsync(SqliteConnection connection, (string Sql, (string Name, object? Value)[] Parameters) statement)
    {
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The store's own statement.
        command.CommandText = "EXPLAIN QUERY PLAN " + statement.Sql;
#pragma warning restore CA2100
        foreach (var (name, value) in statement.Parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, value ?? DBNull.Value));
        }

        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join('\n', lines);
    }
}
