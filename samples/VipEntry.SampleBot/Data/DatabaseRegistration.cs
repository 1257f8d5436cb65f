using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace VipEntry.SampleBot.Data;

/// <summary>Chooses the database engine from <c>ConnectionStrings__VipEntry</c>.</summary>
public static class DatabaseRegistration
{
    /// <summary>The connection used when none is configured: a SQLite file under <c>data/</c> in the working directory.</summary>
    public const string DefaultConnectionString = "Data Source=data/vipentry.db";

    /// <summary>Whether a connection string is an Npgsql one (<c>Host=...</c>) rather than SQLite.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <returns><see langword="true"/> for PostgreSQL.</returns>
    public static bool IsPostgres(string connectionString) =>
        connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase)
        || connectionString.Contains("Server=", StringComparison.OrdinalIgnoreCase);

    /// <summary>Registers <see cref="SampleDbContext"/> on SQLite or PostgreSQL and the start-up schema creation.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddSampleDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("VipEntry");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = DefaultConnectionString;
        }

        // Pooled: the bot opens a scope per update, and a new DbContext per update costs more than the ritual's own statement.
        if (IsPostgres(connectionString))
        {
            services.AddDbContextPool<SampleDbContext>(o => o.UseNpgsql(connectionString));
        }
        else
        {
            EnsureSqliteFolder(connectionString);
            services.AddDbContextPool<SampleDbContext>(o => o.UseSqlite(connectionString));
        }

        // Before every other hosted service, so the schema exists when the transports start.
        services.AddSingleton<DatabaseState>();
        services.AddHostedService<DatabaseInitializer>();
        return services;
    }

    private static void EnsureSqliteFolder(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }
}
