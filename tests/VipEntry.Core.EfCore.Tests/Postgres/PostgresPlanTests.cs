using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Postgres;

/// <summary>
/// On 120,000 rows (97 % completed, as in a mature bot) after ANALYZE, PostgreSQL's plans for the statements the store
/// sends use the ritual's indexes: the stage index for stage lookups, the lapse index for a sweep batch, the key for a
/// compare-and-set. The plans are printed to the test output.
/// </summary>
[Collection(HeavyPostgres.Name)]
public sealed class PostgresPlanTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rows = 120_000;
    private string? _connectionString;

    public async ValueTask InitializeAsync()
    {
        if (!await PostgresServer.IsAvailableAsync())
        {
            return;
        }

        _connectionString = await PostgresServer.CreateDatabaseAsync("plan");
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
    public async Task Stage_lookups_sweep_batches_and_compare_and_set_use_indexes_on_120k_rows()
    {
        await PostgresServer.RequireAsync();
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"""
            INSERT INTO vip_subscribers (user_id, expires_at, vip_entry_stage, vip_entry_lapse_handled_at)
            SELECT i,
                   now() + ((i % 60) - 6) * interval '1 day',
                   CASE i % 100 WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 ELSE NULL END,
                   CASE WHEN (i % 60) - 6 < 0 AND i % 1000 <> 0 THEN now() ELSE NULL END
            FROM generate_series(1, {Rows}) AS i
            """);
        await ExecuteAsync(connection, "ANALYZE vip_subscribers");
        Assert.Equal(Rows, Convert.ToInt32(await ScalarAsync(connection, "SELECT count(*) FROM vip_subscribers"), System.Globalization.CultureInfo.InvariantCulture));

        var counter = new CommandCounter();
        var services = new ServiceCollection();
        services.AddDbContext<ReadyMadeContext>(o => o.UseNpgsql(_connectionString).AddInterceptors(counter));
        services.AddVipEntry().AddEntityFrameworkCoreStore<ReadyMadeContext>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<ReadyMadeContext>();
        var store = scope.ServiceProvider.GetRequiredService<IVipEntryStore>();

        // A stage lookup, as a host or dashboard asks "who is waiting at stage 3".
        counter.Clear();
        var atStage3 = await context.Set<VipEntrySubscriber>().Where(s => s.VipEntryStage == 3).Select(s => s.UserId).ToListAsync();
        Assert.Equal(Rows / 100, atStage3.Count);
        var stagePlan = await ExplainAsync(connection, Assert.Single(counter.Commands));
        Assert.Contains("idx_vip_entry_stage", stagePlan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", stagePlan, StringComparison.Ordinal);

        // A sweep batch: bounded, oldest first, from the lapse index.
        counter.Clear();
        var batch = await store.ListClaimableLapsesAsync(DateTimeOffset.UtcNow, 100);
        Assert.Equal(100, batch.Count);
        Assert.All(batch, r => Assert.Null(r.LapseHandledAt));
        var sweepPlan = await ExplainAsync(connection, Assert.Single(counter.Commands));
        Assert.Contains("idx_vip_entry_lapse", sweepPlan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", sweepPlan, StringComparison.Ordinal);

        // Issue 16: the sweep's batch claim, one statement: its candidates from the lapse index, its rows by key.
        counter.Clear();
        var claimed = await store.ClaimLapsesAsync("claim-plan", "reclaim-plan", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5), 100);
        Assert.Equal(100, claimed.Count);
        var claimPlan = await ExplainAsync(connection, Assert.Single(counter.Commands));
        Assert.Contains("idx_vip_entry_lapse", claimPlan, StringComparison.Ordinal);
        Assert.Contains("pk_vip_subscribers", claimPlan.Replace("PK_", "pk_", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", claimPlan, StringComparison.Ordinal);
        output.WriteLine($"batch lapse claim plan:\n{claimPlan}");

        // A compare-and-set: one row by key.
        counter.Clear();
        Assert.True(await store.TryAdvanceAsync(100, Stages.VipEntryStage.ActivationConfirmation, Stages.VipEntryStage.ExpectationAlignment, DateTimeOffset.UtcNow));
        var casPlan = await ExplainAsync(connection, Assert.Single(counter.Commands));
        Assert.Contains("pk_vip_subscribers", casPlan.Replace("PK_", "pk_", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", casPlan, StringComparison.Ordinal);

        // The funnel: one GROUP BY statement.
        counter.Clear();
        var funnel = await store.CountByStageAsync(DateTimeOffset.UtcNow);
        Assert.Contains("GROUP BY", Assert.Single(counter.Commands).Sql, StringComparison.Ordinal);
        Assert.True(funnel.Values.Sum() > Rows / 2);

        output.WriteLine($"stage lookup plan:\n{stagePlan}\n\nsweep batch plan:\n{sweepPlan}\n\ncompare-and-set plan:\n{casPlan}");
    }

    [Fact]
    public async Task R19_the_channel_workers_due_list_reads_the_due_index_on_120k_records()
    {
        await PostgresServer.RequireAsync();
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();

        // Members inside, due when their subscription ends (spread over two months, a tenth of them ended), a few held by a
        // worker, and a second chat.
        await ExecuteAsync(connection, $"""
            INSERT INTO vip_entry_channel (chat, user_id, may_be_inside, ban_may_stand, links_to_revoke, due_at, claim, lease_until, version)
            SELECT CASE WHEN i % 10 = 0 THEN 'annex' ELSE 'main' END, i, TRUE, FALSE, NULL,
                   now() + ((i % 60) - 6) * interval '1 day' + (i % 997) * interval '1 second',
                   CASE WHEN i % 500 = 1 THEN 'held' ELSE NULL END,
                   CASE WHEN i % 500 = 1 THEN now() + interval '5 minutes' ELSE NULL END,
                   1
            FROM generate_series(1, {Rows}) AS i
            """);
        await ExecuteAsync(connection, "ANALYZE vip_entry_channel");

        var counter = new CommandCounter();
        var services = new ServiceCollection();
        services.AddDbContext<ReadyMadeContext>(o => o.UseNpgsql(_connectionString).AddInterceptors(counter));
        services.AddVipEntry().AddEntityFrameworkCoreStore<ReadyMadeContext>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var channel = scope.ServiceProvider.GetRequiredService<IVipEntryChannelStore>();

        counter.Clear();
        var now = DateTimeOffset.UtcNow;
        var batch = await channel.ListDueAsync("main", now, 100);
        Assert.Equal(100, batch.Count);
        Assert.All(batch, r => Assert.True(r.DueAt <= now && r.Chat == "main"));
        Assert.Equal(batch.OrderBy(r => r.DueAt).ThenBy(r => r.PersonId).Select(r => r.PersonId), batch.Select(r => r.PersonId));
        var plan = await ExplainAsync(connection, Assert.Single(counter.Commands));
        Assert.Contains("idx_vip_entry_channel_due", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);

        // A compare-and-set on one record: by its key.
        counter.Clear();
        Assert.True(await channel.TryClaimAsync(batch[0], "w", now, now.AddMinutes(10)));
        var claimPlan = await ExplainAsync(connection, Assert.Single(counter.Commands));
        Assert.Contains("pk_vip_entry_channel", claimPlan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", claimPlan, StringComparison.Ordinal);

        output.WriteLine($"channel due list plan:\n{plan}\n\nchannel claim plan:\n{claimPlan}");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    // EXPLAIN of the exact statement EF Core sent, with the same parameter values. An UPDATE is explained inside a
    // rolled-back transaction, without ANALYZE, so nothing changes.
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
