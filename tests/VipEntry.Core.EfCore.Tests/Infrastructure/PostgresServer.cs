using Npgsql;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server named by <c>VIPENTRY_TEST_POSTGRES</c>, shared by the EF Core tests and (linked) the sample's
/// replica tests. Without it (or when it is unreachable) PostgreSQL tests
/// fail loudly under <c>CI=true</c> and are skipped with a visible reason otherwise.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "VIPENTRY_TEST_POSTGRES";

    private static readonly Lazy<Task<string?>> Unavailable = new(ProbeAsync);

    public static string BaseConnectionString => Environment.GetEnvironmentVariable(Variable) ?? "";

    /// <summary>Skips (or, on CI, fails) the current test when the server cannot be used.</summary>
    public static async Task RequireAsync()
    {
        var reason = await Unavailable.Value;
        if (reason is null)
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"PostgreSQL tests cannot run on CI: {reason}");
        }

        Assert.Skip($"PostgreSQL tests skipped: {reason}");
    }

    public static async Task<bool> IsAvailableAsync() => await Unavailable.Value is null;

    /// <summary>Creates a uniquely named database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var full = $"vipentry_{prefix}_{Guid.NewGuid():N}".ToLowerInvariant();
        var name = full[..Math.Min(full.Length, 60)];
        await using var connection = new NpgsqlConnection(BaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(BaseConnectionString) { Database = name, MaxPoolSize = 100 }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using (var own = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(own);
        }

        await using var connection = new NpgsqlConnection(BaseConnectionString);
        await connection.OpenAsync();

        // Plain DROP (not WITH FORCE, which needs rights over autovacuum workers); PostgreSQL stops autovacuum itself,
        // and a pooled connection still closing (or a killed process's) gets a moment.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\"", connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 40)
            {
                await Task.Delay(250);
            }
        }
    }

    private static async Task<string?> ProbeAsync()
    {
        if (string.IsNullOrWhiteSpace(BaseConnectionString))
        {
            return $"the environment variable {Variable} is not set (a Npgsql connection string for a role with CREATEDB; .ci/run sets it).";
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(BaseConnectionString) { Timeout = 5 };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or InvalidOperationException or TimeoutException)
        {
            return $"the server in {Variable} is unreachable ({ex.GetType().Name}: {ex.Message}).";
        }
    }
}
