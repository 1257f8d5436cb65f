using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore;

namespace VipEntry.Benchmarks.EfCore;

/// <summary>
/// A temporary SQLite file in WAL mode (as in the EF tests), created from the EF model and seeded with
/// <see cref="Subscribers"/> rows, plus the one open connection that both sides of every EF benchmark use:
/// raw commands run on it, and every <see cref="BenchmarkDbContext"/> is built over it, so neither side pays for
/// opening connections and both run with the same pragmas.
/// </summary>
public sealed class SqliteBenchmarkDatabase : IDisposable
{
    /// <summary>Rows in the table.</summary>
    public const int Subscribers = 10_000;

    /// <summary>The ready-made entity's table and columns (VipEntry's defaults: the original bot's names).</summary>
    public const string Table = "vip_subscribers";

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"vipentry-bench-{Guid.NewGuid():N}.db");

    /// <summary>Creates and seeds the database.</summary>
    /// <param name="synchronous"><c>NORMAL</c> (no fsync per commit in WAL mode) or <c>FULL</c> (SQLite's default: fsync per commit).</param>
    /// <param name="seed">The stored stage and subscription end of subscriber <c>id</c> (1 … <see cref="Subscribers"/>).</param>
    public SqliteBenchmarkDatabase(string synchronous, Func<long, (int? Stage, DateTimeOffset EndsAt)> seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        Connection = new SqliteConnection($"Data Source={_path};Default Timeout=30;Pooling=True");
        Connection.Open();
        if (!string.Equals(Scalar("PRAGMA journal_mode=WAL;") as string, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("SQLite did not switch to WAL.");
        }

        _ = Scalar(synchronous switch
        {
            "NORMAL" => "PRAGMA synchronous=NORMAL;",
            "FULL" => "PRAGMA synchronous=FULL;",
            _ => throw new ArgumentOutOfRangeException(nameof(synchronous), synchronous, "NORMAL or FULL."),
        });

        var services = new ServiceCollection();
        services.AddDbContext<BenchmarkDbContext>(o => o.UseSqlite(Connection));
        services.AddVipEntry().AddEntityFrameworkCoreStore<BenchmarkDbContext>();
        Services = services.BuildServiceProvider(validateScopes: true);

        using (var scope = Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<BenchmarkDbContext>().Database.EnsureCreated();
        }

        using var transaction = Connection.BeginTransaction();
        using var insert = Command($"INSERT INTO {Table} (user_id, expires_at, vip_entry_stage) VALUES (@id, @end, @stage)", "@id", "@end", "@stage");
        insert.Transaction = transaction;
        for (long id = 1; id <= Subscribers; id++)
        {
            var (stage, endsAt) = seed(id);
            insert.Parameters[0].Value = id;
            insert.Parameters[1].Value = Stored(endsAt);
            insert.Parameters[2].Value = stage is { } s ? s : DBNull.Value;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>The connection shared by raw commands and EF.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>VipEntry on the EF Core store over <see cref="BenchmarkDbContext"/>, the way a host registers it.</summary>
    public ServiceProvider Services { get; }

    /// <summary>
    /// What the EF store binds for an instant: UTC, whole microseconds, as a <see cref="DateTime"/> (which
    /// Microsoft.Data.Sqlite writes as the same fixed-format text EF Core does), so raw SQL compares exactly as EF's.
    /// </summary>
    /// <param name="value">The instant.</param>
    /// <returns>The bound value.</returns>
    public static DateTime Stored(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);

    /// <summary>A prepared command on <see cref="Connection"/> with untyped parameters, in order.</summary>
    /// <param name="sql">Constant SQL.</param>
    /// <param name="parameters">Parameter names.</param>
    /// <returns>The command; set <c>Parameters[i].Value</c> before each execution.</returns>
    public SqliteCommand Command(string sql, params string[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var command = Connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL from the benchmarks, never from input.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        command.Prepare();
        return command;
    }

    public void Dispose()
    {
        Services.Dispose();
        Connection.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }

    private object? Scalar(string sql)
    {
        using var command = Connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command.ExecuteScalar();
    }
}
