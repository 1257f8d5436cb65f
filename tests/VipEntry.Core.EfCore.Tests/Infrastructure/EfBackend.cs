using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>An EF Core store on a real engine: a SQLite file (WAL) or a PostgreSQL database created for the class.</summary>
public abstract class EfBackend<TContext, TEntity>(DatabaseEngine engine) : StoreBackend, IHandWrittenRows
    where TContext : DbContext
    where TEntity : class
{
    private SqliteDatabase? _sqlite;
    private string? _postgres;

    public DatabaseEngine Engine { get; } = engine;

    public override bool NormalizesTimes => true;

    public string ConnectionString => Engine == DatabaseEngine.Sqlite ? _sqlite!.ConnectionString : _postgres!;

    public override async ValueTask InitializeAsync()
    {
        if (Engine == DatabaseEngine.Sqlite)
        {
            _sqlite = new SqliteDatabase();
        }
        else
        {
            if (!await PostgresServer.IsAvailableAsync())
            {
                return;
            }

            _postgres = await PostgresServer.CreateDatabaseAsync(typeof(TContext).Name.ToLowerInvariant()[..6]);
        }

        await using var provider = BuildProvider();
        await using var scope = provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TContext>().Database.EnsureCreatedAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        _sqlite?.Dispose();
        if (_postgres is not null)
        {
            await PostgresServer.DropDatabaseAsync(_postgres);
        }

        await base.DisposeAsync();
    }

    public override Task RequireAsync() => Engine == DatabaseEngine.Postgres ? PostgresServer.RequireAsync() : Task.CompletedTask;

    public void ConfigureProvider(DbContextOptionsBuilder options)
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

    public override Task WarmUpAsync(IServiceProvider scope) =>
        scope.GetRequiredService<TContext>().Database.OpenConnectionAsync();

    public override void ReleaseConnections()
    {
        if (Engine == DatabaseEngine.Postgres)
        {
            using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
            Npgsql.NpgsqlConnection.ClearPool(connection);
        }
        else
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString);
            Microsoft.Data.Sqlite.SqliteConnection.ClearPool(connection);
        }
    }

    public override void Register(IServiceCollection services, VipEntryBuilder builder, CommandCounter? counter = null)
    {
        services.AddDbContext<TContext>(o =>
        {
            ConfigureProvider(o);
            if (counter is not null)
            {
                o.AddInterceptors(counter);
            }
        });
        AddStore(builder);
    }

    public override async Task ResetAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        await context.Set<TEntity>().ExecuteDeleteAsync();
        await context.Set<VipEntryChannelEntity>().ExecuteDeleteAsync();
    }

    public override async Task ResetPaymentsAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TContext>().Set<VipEntryPaymentEntity>().ExecuteDeleteAsync();
    }

    /// <summary>A provider with only the context, for setup and raw SQL.</summary>
    public ServiceProvider BuildProvider(CommandCounter? counter = null)
    {
        var services = new ServiceCollection();
        services.AddDbContext<TContext>(o =>
        {
            ConfigureProvider(o);
            if (counter is not null)
            {
                o.AddInterceptors(counter);
            }
        });
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Writes ritual columns of one row by hand, as the original bot or an operator would (no VipEntry code involved).
    /// </summary>
    public async Task WriteByHandAsync(long subscriberId, string? tokenHash, DateTimeOffset? issuedAt)
    {
        await using var provider = BuildProvider();
        await using var scope = provider.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        var idProperty = (string)context.Model.FindEntityType(typeof(TEntity))!.FindAnnotation("VipEntry:SubscriberIdProperty")!.Value!;
        var changed = await context.Set<TEntity>()
            .Where(e => EF.Property<long>(e, idProperty) == subscriberId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => EF.Property<string?>(e, VipEntryPropertyNames.TokenHash), tokenHash)
                .SetProperty(e => EF.Property<DateTimeOffset?>(e, VipEntryPropertyNames.IssuedAt), issuedAt));
        Assert.Equal(1, changed);
    }

    protected abstract void AddStore(VipEntryBuilder builder);
}
