using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore;

namespace VipEntry.Core.Telegram.Tests.Support;

/// <summary>
/// The EF Core store on an in-memory SQLite database kept alive by one open connection (what the lease and the
/// compare-and-set statements really run on), or on a database file that several hosts share (a restart, a replica).
/// </summary>
internal sealed class SqliteStore : IDisposable
{
    private readonly SqliteConnection _connection;

    /// <param name="path">A database file to share with other hosts; an in-memory database of this host's own when null.</param>
    public SqliteStore(string? path = null)
    {
        _connection = new(path is null ? "Data Source=:memory:" : new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
    }

    public void Register(VipEntryBuilder builder)
    {
        builder.Services.AddDbContext<SqliteTestContext>(o => o.UseSqlite(_connection));
        builder.AddEntityFrameworkCoreStore<SqliteTestContext>();
    }

    public static void Create(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        scope.ServiceProvider.GetRequiredService<SqliteTestContext>().Database.EnsureCreated();
    }

    /// <summary>Every row of every table, one string per row (for secret scans).</summary>
    public IReadOnlyList<string> ReadEveryRow()
    {
        var rows = new List<string>();
        var tables = new List<string>();
        using (var list = _connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            using var select = _connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
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

    public void Dispose() => _connection.Dispose();
}
