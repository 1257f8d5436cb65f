using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Migrations;

public sealed class SqliteMigrationTests : MigrationTests
{
    private SqliteDatabase? _db;

    protected override VipEntrySqlDialect Dialect => VipEntrySqlDialect.Sqlite;

    protected override string ActiveProvider => "Microsoft.EntityFrameworkCore.Sqlite";

    // The original bot's table: UTC text times in SQLAlchemy's 'YYYY-MM-DD HH:MM:SS' form.
    protected override string CreatePreRitualTableSql =>
        "CREATE TABLE vip_subscribers (user_id INTEGER NOT NULL PRIMARY KEY, username TEXT NOT NULL, expires_at TEXT NOT NULL)";

    public override ValueTask InitializeAsync()
    {
        _db = new SqliteDatabase();
        return ValueTask.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        _db?.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override void UseProvider(DbContextOptionsBuilder options) => options.UseSqlite(_db!.ConnectionString);

    protected override string TimeLiteral(DateTimeOffset value) => $"'{Iso(value)}'";

    protected override async Task<string> DescribeSchemaAsync(LegacyBotContext context)
    {
        var columns = await context.Database.SqlQueryRaw<string>(
            "SELECT name || ' ' || type || ' ' || \"notnull\" || ' ' || pk AS \"Value\" FROM pragma_table_info('vip_subscribers') ORDER BY cid").ToListAsync();
        var indexes = await context.Database.SqlQueryRaw<string>(
            "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index' AND tbl_name = 'vip_subscribers' ORDER BY name").ToListAsync();
        return string.Join("\n", columns) + "\nindexes: " + string.Join(",", indexes);
    }

    protected override async Task<string> DescribeChannelTableAsync(LegacyBotContext context)
    {
        var columns = await context.Database.SqlQueryRaw<string>(
            "SELECT name || ' ' || type || ' ' || \"notnull\" || ' ' || pk AS \"Value\" FROM pragma_table_info('vip_entry_channel') ORDER BY name").ToListAsync();
        var indexes = await context.Database.SqlQueryRaw<string>(
            "SELECT il.name || ' ' || il.\"unique\" || ' ' || il.origin || ' (' || (SELECT group_concat(ii.name, ', ') FROM pragma_index_info(il.name) ii) || ')' AS \"Value\" "
            + "FROM pragma_index_list('vip_entry_channel') il ORDER BY il.name").ToListAsync();
        return columns.Count == 0 ? "" : string.Join("\n", columns) + "\nindexes: " + string.Join(",", indexes);
    }

    protected override async Task<string> DescribeTableAsync(LegacyBotContext context, string table)
    {
        var columns = await context.Database.SqlQueryRaw<string>(
            "SELECT name || ' ' || type || ' ' || \"notnull\" || ' ' || pk AS \"Value\" FROM pragma_table_info({0}) ORDER BY name", table).ToListAsync();
        var indexes = await context.Database.SqlQueryRaw<string>(
            "SELECT il.name || ' ' || il.\"unique\" || ' ' || il.origin || ' (' || (SELECT group_concat(ii.name, ', ') FROM pragma_index_info(il.name) ii) || ')' AS \"Value\" "
            + "FROM pragma_index_list({0}) il ORDER BY il.name", table).ToListAsync();
        return columns.Count == 0 ? "" : string.Join("\n", columns) + "\nindexes: " + string.Join(",", indexes);
    }
}
