using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Bulk;

/// <summary>
/// Issue 16: on SQLite with the store's own mappings, a bulk create binds its batch as one JSON parameter. The rows it
/// writes must be stored exactly as the scalar statements store them (the same text for the same instant, which every
/// comparison of the sweep and the transitions relies on, R10), and read back as the same instants.
/// </summary>
public sealed class SqliteJsonBulkInsertTests : IDisposable
{
    private readonly SqliteDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Issue16_The_json_bound_bulk_create_stores_ends_and_stage_clocks_as_the_single_create_does()
    {
        await using (var context = new ReadyMadeContext(new DbContextOptionsBuilder<ReadyMadeContext>().UseSqlite(_database.ConnectionString).Options))
        {
            await context.Database.EnsureCreatedAsync();
        }

        var counter = new CommandCounter();
        var services = new ServiceCollection();
        services.AddDbContext<ReadyMadeContext>(o => o.UseSqlite(_database.ConnectionString).AddInterceptors(counter));
        services.AddVipEntry().AddEntityFrameworkCoreStore<ReadyMadeContext>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IVipEntryStore>();

        // Offsets that are neither whole seconds nor UTC; microsecond precision, as the engine hands them to the store.
        var ends = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.FromHours(3)).AddTicks(1234560);
        var entered = new DateTimeOffset(2031, 1, 2, 3, 4, 5, TimeSpan.FromHours(-4)).AddTicks(9876540);
        var round = ends.AddSeconds(1).AddTicks(-1234560); // a whole second: the stored text has no fraction
        counter.Clear();
        var created = await store.TryCreateManyAtAsync([new(1, ends), new(2, ends), new(3, round)], entered);
        Assert.Equal([1L, 2L, 3L], created.Order());
        Assert.Contains("json_each", Assert.Single(counter.Commands).Sql, StringComparison.Ordinal);
        Assert.True(await store.TryCreateAtAsync(4, ends, entered));
        Assert.True(await store.TryCreateAtAsync(5, round, entered));

        // A repeated member is not created again (ON CONFLICT DO NOTHING), a new one is.
        Assert.Equal([6L], await store.TryCreateManyAtAsync([new(1, ends), new(6, ends)], entered));

        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        var stored = await ReadAsync(connection, "SELECT user_id, expires_at, vip_entry_stage_entered_at, vip_entry_stage FROM vip_subscribers ORDER BY user_id");
        Assert.Equal(6, stored.Count);
        Assert.Equal(stored[3].End, stored[0].End);
        Assert.Equal(stored[3].End, stored[1].End);
        Assert.Equal(stored[3].End, stored[5].End);
        Assert.Equal(stored[4].End, stored[2].End);
        Assert.All(stored, r => Assert.Equal(stored[3].Entered, r.Entered));
        Assert.All(stored, r => Assert.Equal("1", r.Stage));

        foreach (var (id, end) in new[] { (1L, ends), (3L, round), (6L, ends) })
        {
            var record = Assert.IsType<VipEntryRecord>(await store.FindAsync(id));
            Assert.Equal(end, record.SubscriptionEndsAt);
            Assert.Equal(entered, record.StageEnteredAt);
            Assert.Equal(VipEntryStage.ActivationConfirmation, record.Stage);
        }

        // The sweep compares the stored text: the ends written by the JSON path and by the single create sort alike.
        Assert.Equal([1L, 2L, 4L, 6L], (await store.ListClaimableLapsesAsync(ends, 10)).Select(r => r.SubscriberId).Order());
        Assert.Equal([1L, 2L, 4L, 6L], (await store.ListClaimableLapsesAsync(round.AddTicks(-10), 10)).Select(r => r.SubscriberId).Order());
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], (await store.ListClaimableLapsesAsync(round, 10)).Select(r => r.SubscriberId).Order());
    }

    private static async Task<List<(long Id, string End, string Entered, string Stage)>> ReadAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL of the test.
        command.CommandText = sql;
#pragma warning restore CA2100
        var rows = new List<(long, string, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return rows;
    }
}
