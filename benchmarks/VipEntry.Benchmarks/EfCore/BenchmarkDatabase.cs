using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore;

namespace VipEntry.Benchmarks.EfCore;

/// <summary>
/// A scratch database of one engine, created from the EF model and seeded, plus the one open connection that both sides
/// of every EF benchmark use: raw commands run on it, and every <see cref="BenchmarkDbContext"/> is built over it, so
/// neither side pays for opening connections and both run under the same settings.
/// </summary>
/// <remarks>
/// Engines: a temporary SQLite file in WAL mode with <c>synchronous=NORMAL</c> (no fsync per commit) or <c>FULL</c>
/// (SQLite's default: an fsync per commit), and a database of its own on the PostgreSQL server named by
/// <c>VIPENTRY_TEST_POSTGRES</c> (the tests' variable), created here and dropped on dispose, with
/// <c>synchronous_commit</c> on (the default: the commit waits for the WAL flush) or off (<c>-async</c>), and with
/// Npgsql's automatic preparation (<c>Max Auto Prepare</c>) in the connection string or without it (the default).
/// </remarks>
public sealed class BenchmarkDatabase : IDisposable
{
    public const string SqliteNormal = "SQLite-NORMAL";
    public const string SqliteFull = "SQLite-FULL";
    public const string Postgres = "PostgreSQL";
    public const string PostgresAsync = "PostgreSQL-async";
    public const string PostgresAsyncAutoPrepare = "PostgreSQL-async-AutoPrepare";

    /// <summary>The PostgreSQL connection string variable (shared with the tests).</summary>
    public const string PostgresVariable = "VIPENTRY_TEST_POSTGRES";

    /// <summary>Restricts the engines, comma-separated (e.g. <c>SQLite-NORMAL,PostgreSQL</c>); all available ones by default.</summary>
    public const string EnginesVariable = "VIPENTRY_BENCH_ENGINES";

    /// <summary>Rows in the table unless a benchmark asks for more.</summary>
    public const int DefaultRows = 10_000;

    /// <summary>The ready-made entity's table (VipEntry's defaults: the original bot's names).</summary>
    public const string Table = "vip_subscribers";

    private readonly string? _sqlitePath;
    private readonly string? _postgresDatabase;

    /// <summary>Creates and seeds the database.</summary>
    /// <param name="engine">One of <see cref="Engines"/>.</param>
    /// <param name="seed">The stored stage and subscription end of subscriber <c>id</c> (1 … <paramref name="rows"/>).</param>
    /// <param name="rows">How many subscribers to seed.</param>
    /// <param name="configure">Adds to VipEntry's registration on both service providers (e.g. a channel port).</param>
    public BenchmarkDatabase(string engine, Func<long, (int? Stage, DateTimeOffset EndsAt)> seed, int rows = DefaultRows, Action<VipEntryBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(seed);
        Engine = engine;
        var services = new ServiceCollection();
        var pooled = new ServiceCollection();
        switch (engine)
        {
            case SqliteNormal or SqliteFull:
                _sqlitePath = Path.Combine(Path.GetTempPath(), $"vipentry-bench-{Guid.NewGuid():N}.db");
                var sqlite = new SqliteConnection($"Data Source={_sqlitePath};Default Timeout=30;Pooling=True");
                Connection = sqlite;
                sqlite.Open();
                if (!string.Equals(Scalar("PRAGMA journal_mode=WAL;") as string, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException("SQLite did not switch to WAL.");
                }

                _ = Scalar(engine == SqliteFull ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
                services.AddDbContext<BenchmarkDbContext>(o => o.UseSqlite(sqlite));
                pooled.AddDbContextPool<BenchmarkDbContext>(o => o.UseSqlite(sqlite));
                break;
            case Postgres or PostgresAsync or PostgresAsyncAutoPrepare:
                var server = Environment.GetEnvironmentVariable(PostgresVariable);
                if (string.IsNullOrWhiteSpace(server))
                {
                    throw new InvalidOperationException($"{PostgresVariable} is not set: the PostgreSQL benchmarks need a server (see docs/performance.md).");
                }

                _postgresDatabase = $"vipentry_bench_{Guid.NewGuid():N}";
                using (var admin = new NpgsqlConnection(server))
                {
                    admin.Open();
                    using var create = new NpgsqlCommand($"CREATE DATABASE \"{_postgresDatabase}\"", admin);
                    create.ExecuteNonQuery();
                }

                // AutoPrepare: Npgsql prepares a statement text after it ran 5 times (Max Auto Prepare, a host's connection string setting).
                var builder = new NpgsqlConnectionStringBuilder(server) { Database = _postgresDatabase };
                if (engine == PostgresAsyncAutoPrepare)
                {
                    builder.MaxAutoPrepare = 32;
                }

                var postgres = new NpgsqlConnection(builder.ConnectionString);
                Connection = postgres;
                postgres.Open();
                _ = Scalar(engine != Postgres ? "SET synchronous_commit = off" : "SET synchronous_commit = on");
                services.AddDbContext<BenchmarkDbContext>(o => o.UseNpgsql(postgres));
                pooled.AddDbContextPool<BenchmarkDbContext>(o => o.UseNpgsql(postgres));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(engine), engine, $"One of {string.Join(", ", AllEngines)}.");
        }

        var vipEntry = services.AddVipEntry().AddEntityFrameworkCoreStore<BenchmarkDbContext>();
        var pooledVipEntry = pooled.AddVipEntry().AddEntityFrameworkCoreStore<BenchmarkDbContext>();
        configure?.Invoke(vipEntry);
        configure?.Invoke(pooledVipEntry);
        Services = services.BuildServiceProvider(validateScopes: true);
        PooledServices = pooled.BuildServiceProvider(validateScopes: true);

        using (var scope = Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<BenchmarkDbContext>().Database.EnsureCreated();
        }

        Seed(seed, rows);
    }

    /// <summary>Every engine this class knows.</summary>
    public static IReadOnlyList<string> AllEngines { get; } = [SqliteNormal, SqliteFull, Postgres, PostgresAsync, PostgresAsyncAutoPrepare];

    /// <summary>The engines to run: <see cref="EnginesVariable"/> if set, else all, without PostgreSQL when its variable is missing.</summary>
    public static IEnumerable<string> Engines
    {
        get
        {
            var chosen = Environment.GetEnvironmentVariable(EnginesVariable);
            IEnumerable<string> engines = string.IsNullOrWhiteSpace(chosen)
                ? AllEngines
                : chosen.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return HasPostgres ? engines : engines.Where(e => !e.StartsWith("PostgreSQL", StringComparison.Ordinal));
        }
    }

    /// <summary>Whether <see cref="PostgresVariable"/> is set.</summary>
    public static bool HasPostgres => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresVariable));

    /// <summary>The engine.</summary>
    public string Engine { get; }

    /// <summary>Whether this is PostgreSQL.</summary>
    public bool IsPostgres => _postgresDatabase is not null;

    /// <summary>The connection shared by raw commands and EF.</summary>
    public DbConnection Connection { get; }

    /// <summary>VipEntry on the EF Core store over <see cref="BenchmarkDbContext"/>, the way a host registers it (<c>AddDbContext</c>).</summary>
    public ServiceProvider Services { get; }

    /// <summary>The same with a pooled context (<c>AddDbContextPool</c>).</summary>
    public ServiceProvider PooledServices { get; }

    /// <summary>
    /// What the EF store binds for an instant: UTC, whole microseconds, as a <see cref="DateTime"/> (which
    /// Microsoft.Data.Sqlite writes as the same fixed-format text EF Core does, and Npgsql sends as timestamptz).
    /// </summary>
    /// <param name="value">The instant.</param>
    /// <returns>The bound value.</returns>
    public static DateTime Stored(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);

    /// <summary>A 64-character stand-in token hash per row: the id zero-padded, as SQL over <paramref name="column"/>.</summary>
    /// <param name="column">The id column.</param>
    /// <returns>The SQL expression.</returns>
    public string PaddedHashSql(string column) => IsPostgres ? $"lpad({column}::text, 64, '0')" : $"printf('%064d', {column})";

    /// <summary>A prepared command on <see cref="Connection"/>; parameters are typed by their initial values.</summary>
    /// <param name="sql">Constant SQL.</param>
    /// <param name="parameters">Parameter names and initial values (typed: <c>DBNull</c> is not allowed).</param>
    /// <returns>The command; set <c>Parameters[i].Value</c> before each execution.</returns>
    /// <remarks>
    /// The text starts with a comment, so it is never the store's text: Npgsql keys a connection's prepared statements by
    /// their text, and a baseline with the store's exact text (the redeem's is) would share the store's prepared statement
    /// and, its parameters typed otherwise (text, not varchar), make Npgsql prepare it again on every other call: the
    /// store's side then ran a fresh statement (a custom plan) each time.
    /// </remarks>
    public DbCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var command = Connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL from the benchmarks, never from input.
        command.CommandText = "/* baseline */ " + sql;
#pragma warning restore CA2100
        command.CommandTimeout = 600;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        command.Prepare();
        return command;
    }

    /// <summary>
    /// Refreshes the planner's statistics after a reset moved every row to one state, so the measured calls run on the
    /// statistics a live table would have, not on the seed's (where the reset's stage looked rare).
    /// </summary>
    public void Analyze() => _ = Scalar(IsPostgres ? $"ANALYZE {Table}" : "ANALYZE");

    /// <summary>Runs one statement with parameters, unprepared.</summary>
    /// <param name="sql">Constant SQL.</param>
    /// <param name="parameters">Parameter names and values.</param>
    public void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var command = Connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL from the benchmarks, never from input.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.CommandTimeout = 600;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        command.ExecuteNonQuery();
    }

    /// <summary>Runs one statement, unprepared.</summary>
    /// <param name="sql">Constant SQL.</param>
    /// <returns>The first column of the first row.</returns>
    public object? Scalar(string sql)
    {
        using var command = Connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.CommandTimeout = 600;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        Services.Dispose();
        PooledServices.Dispose();
        Connection.Dispose();
        if (_sqlitePath is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(_sqlitePath + suffix);
            }
        }

        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var admin = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresVariable));
            admin.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", admin);
            drop.ExecuteNonQuery();
        }
    }

    private void Seed(Func<long, (int? Stage, DateTimeOffset EndsAt)> seed, int rows)
    {
        if (Connection is NpgsqlConnection postgres)
        {
            using (var import = postgres.BeginBinaryImport($"COPY {Table} (user_id, expires_at, vip_entry_stage) FROM STDIN (FORMAT BINARY)"))
            {
                for (long id = 1; id <= rows; id++)
                {
                    var (stage, endsAt) = seed(id);
                    import.StartRow();
                    import.Write(id, NpgsqlTypes.NpgsqlDbType.Bigint);
                    import.Write(Stored(endsAt), NpgsqlTypes.NpgsqlDbType.TimestampTz);
                    if (stage is { } s)
                    {
                        import.Write(s, NpgsqlTypes.NpgsqlDbType.Integer);
                    }
                    else
                    {
                        import.WriteNull();
                    }
                }

                import.Complete();
            }

            _ = Scalar($"VACUUM ANALYZE {Table}");
            return;
        }

        using var transaction = Connection.BeginTransaction();
        using var insert = Command($"INSERT INTO {Table} (user_id, expires_at, vip_entry_stage) VALUES (@id, @end, @stage)", ("@id", 0L), ("@end", DateTime.UtcNow), ("@stage", 0));
        insert.Transaction = transaction;
        for (long id = 1; id <= rows; id++)
        {
            var (stage, endsAt) = seed(id);
            insert.Parameters[0].Value = id;
            insert.Parameters[1].Value = Stored(endsAt);
            insert.Parameters[2].Value = stage is { } s ? s : DBNull.Value;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        _ = Scalar("ANALYZE");
    }
}
