using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Migrations;

/// <summary>
/// The SQLite upgrade script writes times (the lapse record of already-expired members) with its own SQL expression.
/// The store compares times for equality in its compare-and-set, so that expression must give exactly the text EF Core
/// writes for the same instant — including instants whose milliseconds end in zero, where a plain
/// <c>strftime('%f')</c> (three digits, "…00.120") differs from EF's "…00.12" and every renewal would lose.
/// </summary>
public sealed class SqliteScriptTimeFormatTests : IDisposable
{
    private readonly SqliteDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData("2020-01-01T00:00:00.120Z")]
    [InlineData("2020-01-01T00:00:00.000Z")]
    [InlineData("2020-01-01T00:00:10.000Z")]
    [InlineData("2020-01-01T00:00:10.100Z")]
    [InlineData("2020-01-01T23:59:59.123Z")]
    public async Task R10_The_upgrade_scripts_now_writes_the_same_text_as_EF_Core_for_the_same_instant(string instant)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        await using (var context = new ReadyMadeContext(new DbContextOptionsBuilder<ReadyMadeContext>().UseSqlite(_db.ConnectionString).Options))
        {
            await context.Database.EnsureCreatedAsync();
            context.Add(new VipEntrySubscriber { UserId = 1, ExpiresAt = at });
            await context.SaveChangesAsync();
        }

        // The script's "now" expression, evaluated at the same instant instead of the wall clock.
        var scriptNow = VipEntrySql.GetUpgradeStatements(VipEntrySqlDialect.Sqlite)
            .Single(s => s.Contains("SET \"vip_entry_lapse_handled_at\" = ", StringComparison.Ordinal))
            .Split(" = ", 2)[1].Split(" WHERE ", 2)[0]
            .Replace("'now'", $"'{at.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}'", StringComparison.Ordinal);

        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT expires_at, {scriptNow} FROM vip_subscribers WHERE user_id = 1";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(reader.GetString(0), reader.GetString(1));
    }
}
