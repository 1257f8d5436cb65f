namespace VipEntry.Core.EfCore.Tests.Migrations;

/// <summary>
/// SQL Server cannot run here, so its script is checked by text only (statement shapes); SQLite and PostgreSQL scripts
/// are executed by the migration tests. The shipped files under docs/sql must equal what <see cref="VipEntrySql"/> generates.
/// </summary>
public sealed class SqlScriptTests
{
    [Fact]
    public void SqlServer_upgrade_has_the_right_statement_shapes()
    {
        var up = VipEntrySql.GetUpgradeStatements(VipEntrySqlDialect.SqlServer);
        Assert.Equal(11, up.Count);
        Assert.Equal(
            "ALTER TABLE [vip_subscribers] ADD [vip_entry_stage] int NULL CONSTRAINT [df_vip_entry_stage] DEFAULT 1 WITH VALUES CONSTRAINT [ck_vip_entry_stage] CHECK ([vip_entry_stage] IN (1, 2, 3))",
            up[0]);
        Assert.Equal("ALTER TABLE [vip_subscribers] ADD [vip_entry_token] nvarchar(64) NULL", up[1]);
        Assert.Equal("ALTER TABLE [vip_subscribers] ADD [invite_link_sent_at] datetime2 NULL", up[2]);
        Assert.Equal("ALTER TABLE [vip_subscribers] ADD [vip_entry_invite_link] nvarchar(512) NULL", up[3]);
        Assert.Equal("UPDATE [vip_subscribers] SET [vip_entry_stage] = NULL WHERE [expires_at] > CAST(SYSUTCDATETIME() AS datetime2(6))", up[5]);
        Assert.Equal("UPDATE [vip_subscribers] SET [vip_entry_lapse_handled_at] = CAST(SYSUTCDATETIME() AS datetime2(6)) WHERE [expires_at] <= CAST(SYSUTCDATETIME() AS datetime2(6))", up[6]);
        Assert.Equal("CREATE INDEX [idx_vip_entry_stage] ON [vip_subscribers] ([vip_entry_stage])", up[7]);
        Assert.Equal("CREATE UNIQUE INDEX [idx_vip_entry_token] ON [vip_subscribers] ([vip_entry_token]) WHERE [vip_entry_token] IS NOT NULL", up[8]);
        Assert.Equal("CREATE UNIQUE INDEX [idx_vip_entry_invite_link] ON [vip_subscribers] ([vip_entry_invite_link]) WHERE [vip_entry_invite_link] IS NOT NULL", up[9]);
        Assert.Equal("CREATE INDEX [idx_vip_entry_lapse] ON [vip_subscribers] ([vip_entry_lapse_handled_at], [expires_at])", up[10]);
        Assert.DoesNotContain(up, s => s.Contains("ADD COLUMN", StringComparison.Ordinal));
    }

    [Fact]
    public void SqlServer_rollback_drops_indexes_then_constraints_then_columns_in_separate_batches()
    {
        var down = VipEntrySql.GetRollbackStatements(VipEntrySqlDialect.SqlServer, o => o.Schema = "dbo");
        Assert.Equal("DROP INDEX [idx_vip_entry_lapse] ON [dbo].[vip_subscribers]", down[0]);
        Assert.All(down.Take(4), s => Assert.StartsWith("DROP INDEX", s, StringComparison.Ordinal));
        Assert.Equal("ALTER TABLE [dbo].[vip_subscribers] DROP CONSTRAINT [ck_vip_entry_stage]", down[4]);
        Assert.Equal("ALTER TABLE [dbo].[vip_subscribers] DROP CONSTRAINT [df_vip_entry_stage]", down[5]);
        Assert.Equal("ALTER TABLE [dbo].[vip_subscribers] DROP COLUMN [vip_entry_stage]", down[^1]);
        Assert.Equal(11, down.Count);

        var script = VipEntrySql.GetRollbackScript(VipEntrySqlDialect.SqlServer);
        Assert.Equal(11, script.Split('\n').Count(l => l == "GO"));
    }

    [Fact]
    public void Sqlite_never_adds_a_unique_column_and_drops_indexes_before_columns()
    {
        var up = VipEntrySql.GetUpgradeStatements(VipEntrySqlDialect.Sqlite);
        Assert.DoesNotContain(up, s => s.StartsWith("ALTER TABLE", StringComparison.Ordinal) && s.Contains("UNIQUE", StringComparison.Ordinal));
        Assert.Contains("CREATE UNIQUE INDEX \"idx_vip_entry_token\" ON \"vip_subscribers\" (\"vip_entry_token\")", up);
        var down = VipEntrySql.GetRollbackStatements(VipEntrySqlDialect.Sqlite);
        var lastIndexDrop = down.ToList().FindLastIndex(s => s.StartsWith("DROP INDEX", StringComparison.Ordinal));
        var firstColumnDrop = down.ToList().FindIndex(s => s.Contains("DROP COLUMN", StringComparison.Ordinal));
        Assert.True(lastIndexDrop < firstColumnDrop);
    }

    [Fact]
    public void Names_and_schema_flow_into_the_scripts()
    {
        var up = VipEntrySql.GetUpgradeScript(VipEntrySqlDialect.PostgreSql, o =>
        {
            o.Schema = "bot";
            o.TableName = "members";
            o.StageColumn = "ritual_stage";
            o.SubscriptionEndColumn = "paid_until";
        });
        Assert.Contains("ALTER TABLE \"bot\".\"members\" ADD COLUMN \"ritual_stage\" integer NULL DEFAULT 1", up, StringComparison.Ordinal);
        Assert.Contains("WHERE \"paid_until\" > now()", up, StringComparison.Ordinal);
        Assert.DoesNotContain("vip_subscribers", up, StringComparison.Ordinal);
        Assert.DoesNotContain("\"vip_entry_stage\"", up, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_migration_provider_is_a_clear_error()
    {
        var builder = new Microsoft.EntityFrameworkCore.Migrations.MigrationBuilder("Some.Other.Provider");
        var ex = Assert.Throws<NotSupportedException>(() => builder.AddVipEntryColumns());
        Assert.Contains("Some.Other.Provider", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(VipEntrySqlDialect.Sqlite, "sqlite")]
    [InlineData(VipEntrySqlDialect.PostgreSql, "postgresql")]
    [InlineData(VipEntrySqlDialect.SqlServer, "sqlserver")]
    public void Shipped_script_files_match_the_generator(VipEntrySqlDialect dialect, string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "sql");
        Assert.Equal(VipEntrySql.GetUpgradeScript(dialect), File.ReadAllText(Path.Combine(directory, $"vipentry-upgrade.{name}.sql")).ReplaceLineEndings("\n"));
        Assert.Equal(VipEntrySql.GetRollbackScript(dialect), File.ReadAllText(Path.Combine(directory, $"vipentry-rollback.{name}.sql")).ReplaceLineEndings("\n"));
    }
}
