using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Migrations;

public sealed class PostgresMigrationTests : MigrationTests
{
    private string? _connectionString;

    protected override VipEntrySqlDialect Dialect => VipEntrySqlDialect.PostgreSql;

    protected override string ActiveProvider => "Npgsql.EntityFrameworkCore.PostgreSQL";

    protected override string CreatePreRitualTableSql =>
        "CREATE TABLE vip_subscribers (user_id bigint NOT NULL PRIMARY KEY, username character varying(64) NOT NULL, expires_at timestamp with time zone NOT NULL)";

    public override async ValueTask InitializeAsync()
    {
        if (await PostgresServer.IsAvailableAsync())
        {
            _connectionString = await PostgresServer.CreateDatabaseAsync("migr");
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_connectionString is not null)
        {
            await PostgresServer.DropDatabaseAsync(_connectionString);
        }
    }

    protected override Task RequireAsync() => PostgresServer.RequireAsync();

    protected override void UseProvider(DbContextOptionsBuilder options) => options.UseNpgsql(_connectionString);

    protected override string TimeLiteral(DateTimeOffset value) => $"'{Iso(value)}+00'";

    protected override async Task<string> DescribeSchemaAsync(LegacyBotContext context)
    {
        var columns = await context.Database.SqlQueryRaw<string>(
            "SELECT column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || ' ' || is_nullable || ' ' || coalesce(column_default, '-') AS \"Value\" FROM information_schema.columns WHERE table_name = 'vip_subscribers' ORDER BY ordinal_position").ToListAsync();
        var indexes = await context.Database.SqlQueryRaw<string>(
            "SELECT indexname || ' ' || indexdef AS \"Value\" FROM pg_indexes WHERE tablename = 'vip_subscribers' ORDER BY indexname").ToListAsync();
        var constraints = await context.Database.SqlQueryRaw<string>(
            "SELECT conname AS \"Value\" FROM pg_constraint WHERE conrelid = 'vip_subscribers'::regclass ORDER BY conname").ToListAsync();
        return string.Join("\n", columns) + "\nindexes: " + string.Join(",", indexes) + "\nconstraints: " + string.Join(",", constraints);
    }

    protected override async Task<string> DescribeChannelTableAsync(LegacyBotContext context)
    {
        var columns = await context.Database.SqlQueryRaw<string>(
            "SELECT column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || ' ' || is_nullable || ' ' || coalesce(column_default, '-') AS \"Value\" FROM information_schema.columns WHERE table_name = 'vip_entry_channel' ORDER BY column_name").ToListAsync();
        if (columns.Count == 0)
        {
            return "";
        }

        var indexes = await context.Database.SqlQueryRaw<string>(
            "SELECT indexname || ' ' || indexdef AS \"Value\" FROM pg_indexes WHERE tablename = 'vip_entry_channel' ORDER BY indexname").ToListAsync();
        var constraints = await context.Database.SqlQueryRaw<string>(
            "SELECT conname || ' ' || pg_get_constraintdef(oid) AS \"Value\" FROM pg_constraint WHERE conrelid = 'vip_entry_channel'::regclass ORDER BY conname").ToListAsync();
        return string.Join("\n", columns) + "\nindexes: " + string.Join(",", indexes) + "\nconstraints: " + string.Join(",", constraints);
    }

    protected override async Task<string> DescribeTableAsync(LegacyBotContext context, string table)
    {
        var columns = await context.Database.SqlQueryRaw<string>(
            "SELECT column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || ' ' || is_nullable || ' ' || coalesce(column_default, '-') AS \"Value\" FROM information_schema.columns WHERE table_name = {0} ORDER BY column_name", table).ToListAsync();
        if (columns.Count == 0)
        {
            return "";
        }

        var indexes = await context.Database.SqlQueryRaw<string>(
            "SELECT indexname || ' ' || indexdef AS \"Value\" FROM pg_indexes WHERE tablename = {0} ORDER BY indexname", table).ToListAsync();
        var constraints = await context.Database.SqlQueryRaw<string>(
            "SELECT conname || ' ' || pg_get_constraintdef(oid) AS \"Value\" FROM pg_constraint WHERE conrelid = to_regclass({0}) ORDER BY conname", table).ToListAsync();
        return string.Join("\n", columns) + "\nindexes: " + string.Join(",", indexes) + "\nconstraints: " + string.Join(",", constraints);
    }
}
