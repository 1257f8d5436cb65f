using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using VipEntry.Core.EfCore;
using VipEntry.Core.Options;

namespace VipEntry.SampleBot.Data;

/// <summary>
/// Creates the schema at start-up with <c>EnsureCreated</c> (same model on SQLite and PostgreSQL; see the
/// README for why the sample does not use migrations). Does nothing when the tables already exist, except for a database
/// made by an earlier version of the sample, which lacks VipEntry's channel table (R19) or its payments table (issue 17):
/// that one gets VipEntry's own incremental steps, in order (<c>VipEntrySql.GetChannelUpgradeStatements</c>, which also
/// records the completed members as possibly inside; <c>VipEntrySql.GetPaymentsUpgradeStatements</c>). On PostgreSQL,
/// replicas starting at the same moment take turns under an advisory lock, so none of them fails on a table another is creating.
/// </summary>
/// <param name="scopes">Creates the scope for the context.</param>
/// <param name="state">Told when the schema is ready.</param>
/// <param name="options">The channel key the upgrade records completed members under.</param>
internal sealed class DatabaseInitializer(IServiceScopeFactory scopes, DatabaseState state, IOptions<VipEntryOptions> options) : IHostedService
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
            await AddMissingTablesAsync(db, VipEntrySqlDialect.Sqlite, cancellationToken);
        }

        state.IsReady = true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // A database of an earlier version: every other table exists, so EnsureCreated did nothing. VipEntry's incremental
    // steps, in order, each for a table that is missing.
    private async Task AddMissingTablesAsync(SampleDbContext db, VipEntrySqlDialect dialect, CancellationToken cancellationToken)
    {
        await AddTableIfMissingAsync(db, dialect, "vip_entry_channel", VipEntrySql.GetChannelUpgradeStatements(dialect, channelKey: options.Value.ChannelKey), cancellationToken);
        await AddTableIfMissingAsync(db, dialect, "vip_entry_payments", VipEntrySql.GetPaymentsUpgradeStatements(dialect), cancellationToken);
    }

    // One step, in one transaction, so a crash halfway leaves the old schema (and the next start tries again).
    private static async Task AddTableIfMissingAsync(SampleDbContext db, VipEntrySqlDialect dialect, string table, IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        var exists = dialect == VipEntrySqlDialect.Sqlite
            ? await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = {table}").SingleAsync(cancellationToken) > 0
            : await db.Database.SqlQuery<bool>($"SELECT to_regclass({table}) IS NOT NULL AS \"Value\"").SingleAsync(cancellationToken);
        if (exists)
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var statement in statements)
        {
            await db.Database.ExecuteSqlRawAsync(statement, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task CreateOnPostgresAsync(SampleDbContext db, CancellationToken cancellationToken)
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
                    await AddMissingTablesAsync(db, VipEntrySqlDialect.PostgreSql, cancellationToken);
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
