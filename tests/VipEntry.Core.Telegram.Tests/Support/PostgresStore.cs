using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore;
using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.Telegram.Tests.Support;

/// <summary>
/// The EF Core store on a PostgreSQL database created for one host (from <c>VIPENTRY_TEST_POSTGRES</c>) and dropped on
/// dispose. Without a server the test is skipped with the reason, or fails under <c>CI=true</c>.
/// </summary>
internal sealed class PostgresStore : IAsyncDisposable
{
    private readonly bool _owned;

    private PostgresStore(string connectionString, bool owned)
    {
        ConnectionString = connectionString;
        _owned = owned;
    }

    public string ConnectionString { get; }

    /// <summary>Skips (or fails on CI) without a server; otherwise creates a scratch database. Blocking, for the host's constructor.</summary>
    public static PostgresStore Open() =>
        Task.Run(async () =>
        {
            await PostgresServer.RequireAsync();
            return new PostgresStore(await PostgresServer.CreateDatabaseAsync("telegram"), owned: true);
        }).GetAwaiter().GetResult();

    /// <summary>The database another host created (another process after a restart, a replica); it drops it, not this one.</summary>
    public static PostgresStore Attach(string connectionString) => new(connectionString, owned: false);

    public void Register(VipEntryBuilder builder)
    {
        builder.Services.AddDbContext<PostgresTestContext>(o => o.UseNpgsql(ConnectionString));
        builder.AddEntityFrameworkCoreStore<PostgresTestContext>();
    }

    public static void Create(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        scope.ServiceProvider.GetRequiredService<PostgresTestContext>().Database.EnsureCreated();
    }

    /// <summary>Every row of every table, one string per row (for secret scans).</summary>
    public IReadOnlyList<string> ReadEveryRow()
    {
        var rows = new List<string>();
        var tables = new List<string>();
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add($"\"{reader.GetString(0)}\".\"{reader.GetString(1)}\"");
            }
        }

        foreach (var table in tables)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM {table}";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
                rows.Add(table + ": " + string.Join(" | ", values.Select(v => v?.ToString())));
            }
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned)
        {
            await PostgresServer.DropDatabaseAsync(ConnectionString);
        }
    }
}
