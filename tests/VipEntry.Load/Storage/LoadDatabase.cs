using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore;
using VipEntry.Load.Cli;
using VipEntry.Load.Workers;

namespace VipEntry.Load.Storage;

/// <summary>The run's scratch database: created fresh by the coordinator, opened by every process with its own pool.</summary>
public static class LoadDatabase
{
    /// <summary>Drops and recreates the scratch database (PostgreSQL) or file (SQLite, WAL); returns its connection string.</summary>
    public static async Task<string> CreateFreshAsync(LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string connection;
        if (options.Engine == LoadEngine.Postgres)
        {
            var server = new NpgsqlConnectionStringBuilder(options.Connection);
            await DropPostgresAsync(server.ConnectionString, options.Database).ConfigureAwait(false);
            await using (var admin = new NpgsqlConnection(server.ConnectionString))
            {
                await admin.OpenAsync().ConfigureAwait(false);
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{options.Database}\"", admin);
                await create.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            connection = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = options.Database, MaxPoolSize = 50 }.ConnectionString;
        }
        else
        {
            var file = Path.Combine(options.Out, "load.db");
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(file + suffix);
            }

            // Default Timeout is also SQLite's busy timeout: a writer waits for the lock instead of failing.
            connection = $"Data Source={file};Default Timeout=30;Pooling=True";
            await using var sqlite = new SqliteConnection(connection);
            await sqlite.OpenAsync().ConfigureAwait(false);
            await using var wal = sqlite.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            var mode = (string?)await wal.ExecuteScalarAsync().ConfigureAwait(false);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite did not switch to WAL (got {mode}).");
            }
        }

        var services = new ServiceCollection();
        services.AddDbContext<LoadDbContext>(o => Configure(o, options.Engine, connection));
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LoadDbContext>().Database.EnsureCreatedAsync().ConfigureAwait(false);
        return connection;
    }

    public static async Task DropPostgresAsync(string serverConnection, string database)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(serverConnection);
        await admin.OpenAsync().ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\"", admin);
                await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 40)
            {
                // A killed worker's connections take a moment to go.
                await Task.Delay(250).ConfigureAwait(false);
            }
        }
    }

    public static void Configure(DbContextOptionsBuilder builder, LoadEngine engine, string connection)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (engine == LoadEngine.Postgres)
        {
            builder.UseNpgsql(connection);
        }
        else
        {
            builder.UseSqlite(connection);
        }
    }

    /// <summary>A process's own services: its context and pool, the engine on the EF store, short lifetimes (virtual seconds) from the command line, the shared clock.</summary>
    public static ServiceCollection EngineServices(LoadOptions options, string connection)
    {
        ArgumentNullException.ThrowIfNull(options);
        var services = new ServiceCollection();
        // The engine reads the run's shared virtual clock: stored ends, grant expiry and leases are in virtual time.
        services.AddSingleton(options.Clock);
        services.AddSingleton<TimeProvider>(options.Clock);
        services.AddDbContext<LoadDbContext>(o => Configure(o, options.Engine, connection));
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>)); // the channel worker logs; the JSONL logs are the record
        services.AddVipEntry(o =>
            {
                o.LapseLease = TimeSpan.FromSeconds(options.LeaseSeconds);
                o.ReissueCooldown = TimeSpan.FromSeconds(options.CooldownSeconds);
                o.LinkLifetime = TimeSpan.FromSeconds(options.LinkLifetimeSeconds);
                o.SweepBatchSize = 50;
            })
            .AddEntityFrameworkCoreStore<LoadDbContext>()
            .UseChannel<LoadChannel>(o => o.Enabled = false); // the processes run the cycles themselves
        return services;
    }
}
