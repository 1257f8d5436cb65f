using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Sqlite;

/// <summary>
/// SQLite's twin of the PostgreSQL plan test: on 60,000 rows (97 % completed, one in ten ended) after ANALYZE,
/// <c>EXPLAIN QUERY PLAN</c> of the exact statements the store sends shows the sweep batch searching the lapse index
/// (no scan of the table), and a compare-and-set finding its row by key. The plans are printed to the test output.
/// </summary>
public sealed class SqlitePlanTests(ITestOutputHelper output) : IDisposable
{
    private const int Rows = 60_000;
    private readonly SqliteDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Sweep_batches_search_the_lapse_index_and_compare_and_set_uses_the_key_on_60k_rows()
    {
        await using (var context = new ReadyMadeContext(new DbContextOptionsBuilder<ReadyMadeContext>().UseSqlite(_database.ConnectionString).Options))
        {
            await context.Database.EnsureCreatedAsync();
        }

        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();

        // The same text form EF writes (UTC, "yyyy-MM-dd HH:mm:ss.FFFFFFF"); ends spread from 6 days ago to 53 days ahead.
        await ExecuteAsync(connection, $"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows})
            INSERT INTO vip_subscribers (user_id, expires_at, vip_entry_stage, vip_entry_lapse_handled_at)
            SELECT i,
                   strftime('%Y-%m-%d %H:%M:%S', 'now', ((i % 60) - 6) || ' days'),
                   CASE i % 100 WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 ELSE NULL END,
                   CASE WHEN (i % 60) - 6 < 0 AND i % 1000 <> 0 THEN strftime('%Y-%m-%d %H:%M:%S', 'now') ELSE NULL END
            FROM n
            """);
        await ExecuteAsync(connection, "ANALYZE");

        var counter = new CommandCounter();
        var services = new ServiceCollection();
        services.AddDbContext<ReadyMadeContext>(o => o.UseSqlite(_database.ConnectionString).AddInterceptors(counter));
        services.AddVipEntry().AddEntityFrameworkCoreStore<ReadyMadeContext>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IVipEntryStore>();

        // A sweep batch: bounded, oldest end first, searched in the lapse index (lapse record IS NULL, end <= now).
        counter.Clear();
        var batch = await store.ListClaimableLapsesAsync(DateTimeOffset.UtcNow, 100);
        Assert.Equal(100, batch.Count);
        var sweepPlan = await ExplainAsync(connection, Assert.Single(counter.Commands));
        Assert.Contains("SEARCH", sweepPlan, StringComparison.Ordinal);
        Assert.Contains("idx_vip_entry_lapse", sweepPlan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN", sweepPlan.Replace("USE TEMP B-TREE", "", StringComparison.Ordinal), StringComparison.Ordinal);

        // Claiming one of them: a compare-and-set on the key.
        counter.Clear();
        Assert.True(await store.TryClaimLapseAsync(batch[0], "claim-plan", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5)));
        var claimPlan = await ExplainAsync(connection, Assert.Single(counter.Commands));
        Assert.Contains("SEARCH", claimPlan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN", claimPlan, StringComparison.Ordinal);

        // Issue 16: the sweep's batch claim, one statement: its candidates searched in the lapse index, its rows by key.
        counter.Clear();
        var claimed = await store.ClaimLapsesAsync("claim-batch", "reclaim-batch", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5), 100);
        Assert.Equal(100, claimed.Count);
        Assert.DoesNotContain(claimed, r => r.SubscriberId == batch[0].SubscriberId);
        var batchClaimPlan = await ExplainAsync(connection, Assert.Single(counter.Commands));
        Assert.Contains("idx_vip_entry_lapse", batchClaimPlan, StringComparison.Ordinal);
        Assert.Contains("PRIMARY KEY", batchClaimPlan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN", batchClaimPlan.Replace("USE TEMP B-TREE", "", StringComparison.Ordinal), StringComparison.Ordinal);
        output.WriteLine($"batch lapse claim plan:\n{batchClaimPlan}");

        // An advance: one row by key.
        counter.Clear();
        Assert.True(await store.TryAdvanceAsync(100, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, DateTimeOffset.UtcNow.AddDays(-7)));
        var casPlan = await ExplainAsync(connection, Assert.Single(counter.Commands));
        Assert.Contains("SEARCH", casPlan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN", casPlan, StringComparison.Ordinal);

        output.WriteLine($"sweep batch plan:\n{sweepPlan}\n\nlapse claim plan:\n{claimPlan}\n\ncompare-and-set plan:\n{casPlan}");
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
