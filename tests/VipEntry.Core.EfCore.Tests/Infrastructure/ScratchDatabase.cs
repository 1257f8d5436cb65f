using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>
/// One database for one test: a SQLite file, or a PostgreSQL database created for it (the test is skipped, or fails on
/// CI, without a server). Deleted or dropped on dispose.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly SqliteDatabase? _sqlite;

    private ScratchDatabase(DatabaseEngine engine, SqliteDatabase? sqlite, string connectionString)
    {
        Engine = engine;
        _sqlite = sqlite;
        ConnectionString = connectionString;
    }

    public DatabaseEngine Engine { get; }

    public string ConnectionString { get; }

    /// <summary>Creates the database; <paramref name="postgresTimeZone"/> sets the PostgreSQL session <c>TimeZone</c> of every connection.</summary>
    public static async Task<ScratchDatabase> CreateAsync(DatabaseEngine engine, string prefix, string? postgresTimeZone = null)
    {
        if (engine == DatabaseEngine.Sqlite)
        {
            var sqlite = new SqliteDatabase();
            return new ScratchDatabase(engine, sqlite, sqlite.ConnectionString);
        }

        await PostgresServer.RequireAsync();
        var connectionString = await PostgresServer.CreateDatabaseAsync(prefix);
        if (postgresTimeZone is not null)
        {
            connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Timezone = postgresTimeZone }.ConnectionString;
        }

        return new ScratchDatabase(engine, null, connectionString);
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        if (Engine == DatabaseEngine.Sqlite)
        {
            options.UseSqlite(ConnectionString);
        }
        else
        {
            options.UseNpgsql(ConnectionString);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqlite is not null)
        {
            _sqlite.Dispose();
        }
        else
        {
            await PostgresServer.DropDatabaseAsync(ConnectionString);
        }
    }
}
