using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace VipEntry.SampleBot.Data;

/// <summary>
/// Creates the schema at start-up with <c>EnsureCreated</c> (same model on SQLite and PostgreSQL; see the
/// README for why the sample does not use migrations). Does nothing when the tables already exist. On PostgreSQL,
/// replicas starting at the same moment take turns under an advisory lock, so none of them fails on a table another
/// is creating.
/// </summary>
/// <param name="scopes">Creates the scope for the context.</param>
/// <param name="state">Told when the schema is ready.</param>
internal sealed class DatabaseInitializer(IServiceScopeFactory scopes, DatabaseState state) : IHostedService
{
    // Any constant shared by every replica of the sample ("VIPE" in ASCII).
    private const long SchemaLock = 0x56495045;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SampleDbContext>();
        if (db.Database.IsNpgsql())
        {
            await CreateOnPostgresAsync(db, cancellationToken);
        }
        else
        {
            await db.Database.EnsureCreatedAsync(cancellationToken);
        }

        state.IsReady = true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task CreateOnPostgresAsync(SampleDbContext db, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.Database.OpenConnectionAsync(cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName && attempt < 3)
            {
                // No database yet: EnsureCreated makes it; a replica that loses that race (duplicate database or table)
                // comes round again and finds the schema under the lock.
                try
                {
                    await db.Database.EnsureCreatedAsync(cancellationToken);
                }
                catch (PostgresException raced) when (raced.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.UniqueViolation)
                {
                }

                continue;
            }

            try
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({SchemaLock})", cancellationToken);
                try
                {
                    await db.Database.EnsureCreatedAsync(cancellationToken);
                }
                finally
                {
                    await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({SchemaLock})", CancellationToken.None);
                }

                return;
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
