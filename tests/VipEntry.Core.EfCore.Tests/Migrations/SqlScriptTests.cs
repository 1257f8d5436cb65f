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
        Assert.Equal(20, up.Count);
        Assert.Equal(
            "ALTER TABLE [vip_subscribers] ADD [vip_entry_stage] int NULL CONSTRAINT [df_vip_entry_stage] DEFAULT 1 WITH VALUES CONSTRAINT [ck_vip_entry_stage] CHECK ([vip_entry_stage] IN (1, 2, 3))",
            up[0]);
        Assert.Equal("ALTER TABLE [vip_subscribers] ADD [vip_entry_token] nvarchar(64) NULL", up[1]);
        Assert.Equal("ALTER TABLE [vip_subscribers] ADD [invite_link_sent_at] datetime2 NULL", up[2]);
        Assert.Equal("ALTER TABLE [vip_subscribers] ADD [vip_entry_invite_link] nvarchar(512) NULL", up[3]);
        Assert.Equal("ALTER TABLE [vip_subscribers] ADD [vip_entry_lapse_handled_at] datetime2 NULL", up[4]);
        Assert.Equal("ALTER TABLE [vip_subscribers] ADD [vip_entry_lapse_claim] varchar(32) NULL", up[5]);
        Assert.Equal("ALTER TABLE [vip_subscribers] ADD [vip_entry_lapse_lease_until] datetime2 NULL", up[6]);
        Assert.Equal("ALTER TABLE [vip_subscribers] ADD [vip_entry_lapse_link] nvarchar(512) NULL", up[7]);
        Assert.Equal("ALTER TABLE [vip_subscribers] ADD [vip_entry_stage_entered_at] datetime2 NULL", up[8]);
        Assert.Equal("ALTER TABLE [vip_subscribers] ADD [vip_entry_stage_nudged_at] datetime2 NULL", up[9]);
        Assert.Equal("ALTER TABLE [vip_subscribers] ADD [vip_entry_grant_nudged_at] datetime2 NULL", up[10]);
        Assert.Equal("UPDATE [vip_subscribers] SET [vip_entry_stage] = NULL WHERE [expires_at] > CAST(SYSUTCDATETIME() AS datetime2(6))", up[11]);
        Assert.Equal("UPDATE [vip_subscribers] SET [vip_entry_lapse_handled_at] = CAST(SYSUTCDATETIME() AS datetime2(6)) WHERE [expires_at] <= CAST(SYSUTCDATETIME() AS datetime2(6))", up[12]);
        Assert.Equal("CREATE INDEX [idx_vip_entry_stage] ON [vip_subscribers] ([vip_entry_stage])", up[13]);
        Assert.Equal("CREATE UNIQUE INDEX [idx_vip_entry_token] ON [vip_subscribers] ([vip_entry_token]) WHERE [vip_entry_token] IS NOT NULL", up[14]);
        Assert.Equal("CREATE UNIQUE INDEX [idx_vip_entry_invite_link] ON [vip_subscribers] ([vip_entry_invite_link]) WHERE [vip_entry_invite_link] IS NOT NULL", up[15]);
        Assert.Equal("CREATE INDEX [idx_vip_entry_lapse] ON [vip_subscribers] ([vip_entry_lapse_handled_at], [expires_at])", up[16]);
        Assert.Equal(VipEntrySql.GetChannelUpgradeStatements(VipEntrySqlDialect.SqlServer), up.Skip(17));
        Assert.DoesNotContain(up, s => s.Contains("ADD COLUMN", StringComparison.Ordinal));
    }

    [Fact]
    public void SqlServer_rollback_drops_indexes_then_constraints_then_columns_in_separate_batches()
    {
        var down = VipEntrySql.GetRollbackStatements(VipEntrySqlDialect.SqlServer, o => o.Schema = "dbo");
        Assert.Equal("DROP TABLE [dbo].[vip_entry_channel]", down[0]);
        Assert.Equal("DROP INDEX [idx_vip_entry_lapse] ON [dbo].[vip_subscribers]", down[1]);
        Assert.All(down.Skip(1).Take(4), s => Assert.StartsWith("DROP INDEX", s, StringComparison.Ordinal));
        Assert.Equal("ALTER TABLE [dbo].[vip_subscribers] DROP CONSTRAINT [ck_vip_entry_stage]", down[5]);
        Assert.Equal("ALTER TABLE [dbo].[vip_subscribers] DROP CONSTRAINT [df_vip_entry_stage]", down[6]);
        Assert.Equal("ALTER TABLE [dbo].[vip_subscribers] DROP COLUMN [vip_entry_grant_nudged_at]", down[7]);
        Assert.Equal("ALTER TABLE [dbo].[vip_subscribers] DROP COLUMN [vip_entry_lapse_link]", down[10]);
        Assert.Equal("ALTER TABLE [dbo].[vip_subscribers] DROP COLUMN [vip_entry_stage]", down[^1]);
        Assert.Equal(18, down.Count);

        var script = VipEntrySql.GetRollbackScript(VipEntrySqlDialect.SqlServer);
        Assert.Equal(18, script.Split('\n').Count(l => l == "GO"));
    }

    [Fact]
    public void SqlServer_lapse_claim_upgrade_and_rollback_have_the_right_statement_shapes()
    {
        var up = VipEntrySql.GetLapseClaimUpgradeStatements(VipEntrySqlDialect.SqlServer, o => o.Schema = "dbo");
        Assert.Equal(
            [
                "ALTER TABLE [dbo].[vip_subscribers] ADD [vip_entry_lapse_claim] varchar(32) NULL",
                "ALTER TABLE [dbo].[vip_subscribers] ADD [vip_entry_lapse_lease_until] datetime2 NULL",
                "ALTER TABLE [dbo].[vip_subscribers] ADD [vip_entry_lapse_link] nvarchar(512) NULL",
            ],
            up);

        var down = VipEntrySql.GetLapseClaimRollbackStatements(VipEntrySqlDialect.SqlServer, o => o.Schema = "dbo");
        Assert.Equal(
            [
                "UPDATE [dbo].[vip_subscribers] SET [vip_entry_invite_link] = [vip_entry_lapse_link] WHERE [vip_entry_lapse_link] IS NOT NULL AND [vip_entry_invite_link] IS NULL AND [vip_entry_lapse_handled_at] IS NULL",
                "ALTER TABLE [dbo].[vip_subscribers] DROP COLUMN [vip_entry_lapse_link]",
                "ALTER TABLE [dbo].[vip_subscribers] DROP COLUMN [vip_entry_lapse_lease_until]",
                "ALTER TABLE [dbo].[vip_subscribers] DROP COLUMN [vip_entry_lapse_claim]",
            ],
            down);
        Assert.Equal(3, VipEntrySql.GetLapseClaimUpgradeScript(VipEntrySqlDialect.SqlServer).Split('\n').Count(l => l == "GO"));
        Assert.Equal(4, VipEntrySql.GetLapseClaimRollbackScript(VipEntrySqlDialect.SqlServer).Split('\n').Count(l => l == "GO"));
    }

    [Fact]
    public void SqlServer_nudge_upgrade_and_rollback_have_the_right_statement_shapes()
    {
        var up = VipEntrySql.GetNudgeUpgradeStatements(VipEntrySqlDialect.SqlServer, o => o.Schema = "dbo");
        Assert.Equal(
            [
                "ALTER TABLE [dbo].[vip_subscribers] ADD [vip_entry_stage_entered_at] datetime2 NULL",
                "ALTER TABLE [dbo].[vip_subscribers] ADD [vip_entry_stage_nudged_at] datetime2 NULL",
                "ALTER TABLE [dbo].[vip_subscribers] ADD [vip_entry_grant_nudged_at] datetime2 NULL",
            ],
            up);

        var down = VipEntrySql.GetNudgeRollbackStatements(VipEntrySqlDialect.SqlServer, o => o.Schema = "dbo");
        Assert.Equal(
            [
                "ALTER TABLE [dbo].[vip_subscribers] DROP COLUMN [vip_entry_grant_nudged_at]",
                "ALTER TABLE [dbo].[vip_subscribers] DROP COLUMN [vip_entry_stage_nudged_at]",
                "ALTER TABLE [dbo].[vip_subscribers] DROP COLUMN [vip_entry_stage_entered_at]",
            ],
            down);
        Assert.Equal(3, VipEntrySql.GetNudgeUpgradeScript(VipEntrySqlDialect.SqlServer).Split('\n').Count(l => l == "GO"));
        Assert.Equal(3, VipEntrySql.GetNudgeRollbackScript(VipEntrySqlDialect.SqlServer).Split('\n').Count(l => l == "GO"));
    }

    [Fact]
    public void R19_SqlServer_channel_upgrade_and_rollback_have_the_right_statement_shapes()
    {
        var up = VipEntrySql.GetChannelUpgradeStatements(VipEntrySqlDialect.SqlServer, o => o.Schema = "dbo");
        Assert.Equal(
            [
                "CREATE TABLE [dbo].[vip_entry_channel] ([chat] varchar(64) NOT NULL, [user_id] bigint NOT NULL, [may_be_inside] bit NOT NULL, "
                    + "[ban_may_stand] bit NOT NULL, [links_to_revoke] nvarchar(max) NULL, [due_at] datetime2 NULL, [claim] varchar(32) NULL, "
                    + "[lease_until] datetime2 NULL, [version] bigint NOT NULL, [language] varchar(16) NULL, CONSTRAINT [pk_vip_entry_channel] PRIMARY KEY ([chat], [user_id]))",
                "CREATE INDEX [idx_vip_entry_channel_due] ON [dbo].[vip_entry_channel] ([chat], [due_at])",
                "INSERT INTO [dbo].[vip_entry_channel] ([chat], [user_id], [may_be_inside], [ban_may_stand], [links_to_revoke], [due_at], [claim], [lease_until], [version]) "
                    + "SELECT 'main', [user_id], 1, 0, NULL, [expires_at], NULL, NULL, 1 FROM [dbo].[vip_subscribers] "
                    + "WHERE [vip_entry_stage] IS NULL AND [vip_entry_lapse_handled_at] IS NULL",
            ],
            up);
        Assert.Equal(["DROP TABLE [dbo].[vip_entry_channel]"], VipEntrySql.GetChannelRollbackStatements(VipEntrySqlDialect.SqlServer, o => o.Schema = "dbo"));
        Assert.Equal(3, VipEntrySql.GetChannelUpgradeScript(VipEntrySqlDialect.SqlServer).Split('\n').Count(l => l == "GO"));
        Assert.Equal(1, VipEntrySql.GetChannelRollbackScript(VipEntrySqlDialect.SqlServer).Split('\n').Count(l => l == "GO"));
    }

    [Theory]
    [InlineData(VipEntrySqlDialect.Sqlite, "TEXT", "INTEGER", "INTEGER", "TEXT", "TEXT", "1", "0")]
    [InlineData(VipEntrySqlDialect.PostgreSql, "character varying(64)", "bigint", "boolean", "text", "timestamp with time zone", "TRUE", "FALSE")]
    public void R19_channel_table_has_the_dialects_types_and_the_backfill_its_literals(
        VipEntrySqlDialect dialect, string chatType, string bigint, string boolean, string text, string time, string yes, string no)
    {
        var up = VipEntrySql.GetChannelUpgradeStatements(dialect);
        var claimType = dialect == VipEntrySqlDialect.Sqlite ? "TEXT" : "character varying(32)";
        Assert.Equal(
            [
                $"CREATE TABLE \"vip_entry_channel\" (\"chat\" {chatType} NOT NULL, \"user_id\" {bigint} NOT NULL, \"may_be_inside\" {boolean} NOT NULL, "
                    + $"\"ban_may_stand\" {boolean} NOT NULL, \"links_to_revoke\" {text} NULL, \"due_at\" {time} NULL, \"claim\" {claimType} NULL, "
                    + $"\"lease_until\" {time} NULL, \"version\" {bigint} NOT NULL, \"language\" {claimType.Replace("32", "16", StringComparison.Ordinal)} NULL, CONSTRAINT \"pk_vip_entry_channel\" PRIMARY KEY (\"chat\", \"user_id\"))",
                "CREATE INDEX \"idx_vip_entry_channel_due\" ON \"vip_entry_channel\" (\"chat\", \"due_at\")",
                "INSERT INTO \"vip_entry_channel\" (\"chat\", \"user_id\", \"may_be_inside\", \"ban_may_stand\", \"links_to_revoke\", \"due_at\", \"claim\", \"lease_until\", \"version\") "
                    + $"SELECT 'main', \"user_id\", {yes}, {no}, NULL, \"expires_at\", NULL, NULL, 1 FROM \"vip_subscribers\" "
                    + "WHERE \"vip_entry_stage\" IS NULL AND \"vip_entry_lapse_handled_at\" IS NULL",
            ],
            up);
        Assert.Equal(["DROP TABLE \"vip_entry_channel\""], VipEntrySql.GetChannelRollbackStatements(dialect));
    }

    [Fact]
    public void R19_channel_names_schema_and_key_flow_into_the_scripts()
    {
        void Names(VipEntryModelOptions o)
        {
            o.Schema = "bot";
            o.TableName = "members";
            o.SubscriberIdColumn = "member_id";
            o.SubscriptionEndColumn = "paid_until";
            o.StageColumn = "ritual_stage";
            o.LapseHandledAtColumn = "lapse_done_at";
            o.ChannelTableName = "channel_facts";
            o.ChannelChatColumn = "chat_key";
            o.ChannelPersonIdColumn = "person_id";
            o.ChannelMayBeInsideColumn = "maybe_in";
            o.ChannelBanMayStandColumn = "banned";
            o.ChannelLinksToRevokeColumn = "stale_links";
            o.ChannelDueAtColumn = "next_look_at";
            o.ChannelClaimColumn = "worker";
            o.ChannelLeaseUntilColumn = "worker_until";
            o.ChannelVersionColumn = "revision";
            o.ChannelLanguageColumn = "lang";
            o.ChannelPrimaryKeyName = "pk_channel_facts";
            o.ChannelDueIndexName = "ix_channel_due";
        }

        var up = VipEntrySql.GetChannelUpgradeScript(VipEntrySqlDialect.PostgreSql, Names, "vip's chat");
        Assert.Contains("CREATE TABLE \"bot\".\"channel_facts\" (\"chat_key\" character varying(64) NOT NULL, \"person_id\" bigint NOT NULL", up, StringComparison.Ordinal);
        Assert.Contains("\"revision\" bigint NOT NULL, \"lang\" character varying(16) NULL, ", up, StringComparison.Ordinal);
        Assert.Contains("CONSTRAINT \"pk_channel_facts\" PRIMARY KEY (\"chat_key\", \"person_id\")", up, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX \"ix_channel_due\" ON \"bot\".\"channel_facts\" (\"chat_key\", \"next_look_at\")", up, StringComparison.Ordinal);
        Assert.Contains(
            "INSERT INTO \"bot\".\"channel_facts\" (\"chat_key\", \"person_id\", \"maybe_in\", \"banned\", \"stale_links\", \"next_look_at\", \"worker\", \"worker_until\", \"revision\") "
                + "SELECT 'vip''s chat', \"member_id\", TRUE, FALSE, NULL, \"paid_until\", NULL, NULL, 1 FROM \"bot\".\"members\" WHERE \"ritual_stage\" IS NULL AND \"lapse_done_at\" IS NULL",
            up,
            StringComparison.Ordinal);
        Assert.Contains("DROP TABLE \"bot\".\"channel_facts\"", VipEntrySql.GetChannelRollbackScript(VipEntrySqlDialect.PostgreSql, Names), StringComparison.Ordinal);

        // The full scripts too; SQLite has no schemas.
        var full = VipEntrySql.GetUpgradeScript(VipEntrySqlDialect.Sqlite, Names, "vip's chat") + VipEntrySql.GetRollbackScript(VipEntrySqlDialect.Sqlite, Names);
        Assert.Contains("CREATE TABLE \"channel_facts\" (", full, StringComparison.Ordinal);
        Assert.Contains("SELECT 'vip''s chat', \"member_id\", 1, 0,", full, StringComparison.Ordinal);
        Assert.Contains("DROP TABLE \"channel_facts\"", full, StringComparison.Ordinal);
        Assert.DoesNotContain("vip_entry_channel", up + full, StringComparison.Ordinal);
    }

    [Fact]
    public void R19_a_channel_key_the_options_would_refuse_is_refused_by_the_scripts()
    {
        Assert.ThrowsAny<ArgumentException>(() => VipEntrySql.GetChannelUpgradeStatements(VipEntrySqlDialect.PostgreSql, channelKey: ""));
        Assert.ThrowsAny<ArgumentException>(() => VipEntrySql.GetChannelUpgradeStatements(VipEntrySqlDialect.PostgreSql, channelKey: new string('k', 65)));
        Assert.ThrowsAny<ArgumentException>(() => VipEntrySql.GetUpgradeStatements(VipEntrySqlDialect.Sqlite, channelKey: null!));
        Assert.Contains($"SELECT '{new string('k', 64)}'", VipEntrySql.GetChannelUpgradeScript(VipEntrySqlDialect.SqlServer, channelKey: new string('k', 64)), StringComparison.Ordinal);
        var builder = new Microsoft.EntityFrameworkCore.Migrations.MigrationBuilder("Npgsql.EntityFrameworkCore.PostgreSQL");
        Assert.ThrowsAny<ArgumentException>(() => builder.AddVipEntryChannelTable(channelKey: ""));
        Assert.Empty(builder.Operations);
    }

    [Theory]
    [InlineData(VipEntrySqlDialect.Sqlite, "TEXT")]
    [InlineData(VipEntrySqlDialect.PostgreSql, "timestamp with time zone")]
    public void Nudge_columns_have_the_dialects_time_type(VipEntrySqlDialect dialect, string timeType)
    {
        // The same type as the other time columns (the grant issue time), so the store's comparisons behave alike.
        var issued = VipEntrySql.GetUpgradeStatements(dialect).Single(s => s.Contains("\"invite_link_sent_at\"", StringComparison.Ordinal));
        Assert.EndsWith($" {timeType} NULL", issued, StringComparison.Ordinal);
        Assert.Equal(
            [
                $"ALTER TABLE \"vip_subscribers\" ADD COLUMN \"vip_entry_stage_entered_at\" {timeType} NULL",
                $"ALTER TABLE \"vip_subscribers\" ADD COLUMN \"vip_entry_stage_nudged_at\" {timeType} NULL",
                $"ALTER TABLE \"vip_subscribers\" ADD COLUMN \"vip_entry_grant_nudged_at\" {timeType} NULL",
            ],
            VipEntrySql.GetNudgeUpgradeStatements(dialect));
    }

    [Theory]
    [InlineData(VipEntrySqlDialect.Sqlite)]
    [InlineData(VipEntrySqlDialect.PostgreSql)]
    [InlineData(VipEntrySqlDialect.SqlServer)]
    public void Full_upgrade_and_rollback_are_the_earlier_versions_plus_each_steps_statements(VipEntrySqlDialect dialect)
    {
        // What docs/migrating-an-existing-bot.md tells hosts to paste into their frozen first migration.
        var full = VipEntrySql.GetUpgradeStatements(dialect);
        var claims = VipEntrySql.GetLapseClaimUpgradeStatements(dialect);
        var nudges = VipEntrySql.GetNudgeUpgradeStatements(dialect);
        var channel = VipEntrySql.GetChannelUpgradeStatements(dialect);
        Assert.Equal(3, claims.Count);
        Assert.Equal(3, nudges.Count);
        Assert.Equal(3, channel.Count);
        Assert.Equal(NudgeVersionScripts.UpgradeStatements(dialect).Concat(channel), full);
        Assert.Equal(LapseClaimVersionScripts.UpgradeStatements(dialect), full.Except(nudges).Except(channel));
        Assert.Equal(PreviousVersionScripts.UpgradeStatements(dialect), full.Except(claims).Except(nudges).Except(channel));
        Assert.Equal(claims.Concat(nudges), full.Where(s => claims.Contains(s) || nudges.Contains(s)));

        var fullDown = VipEntrySql.GetRollbackStatements(dialect);
        var claimDown = VipEntrySql.GetLapseClaimRollbackStatements(dialect);
        var nudgeDown = VipEntrySql.GetNudgeRollbackStatements(dialect);
        var channelDown = VipEntrySql.GetChannelRollbackStatements(dialect);
        Assert.Equal(channelDown.Concat(NudgeVersionScripts.RollbackStatements(dialect)), fullDown);
        Assert.Equal(LapseClaimVersionScripts.RollbackStatements(dialect), fullDown.Except(channelDown).Except(nudgeDown));
        Assert.Equal(PreviousVersionScripts.RollbackStatements(dialect), fullDown.Except(channelDown).Except(nudgeDown).Except(claimDown));
        Assert.Equal(nudgeDown.Concat(claimDown.Skip(1)), fullDown.Where(s => nudgeDown.Contains(s) || claimDown.Contains(s)));
    }

    [Theory]
    [InlineData(VipEntrySqlDialect.Sqlite)]
    [InlineData(VipEntrySqlDialect.PostgreSql)]
    [InlineData(VipEntrySqlDialect.SqlServer)]
    public void Each_rollback_drops_exactly_the_columns_its_upgrade_adds_in_reverse_order(VipEntrySqlDialect dialect)
    {
        Assert.Equal(
            AddedColumns(VipEntrySql.GetUpgradeStatements(dialect)).Reverse(),
            DroppedColumns(VipEntrySql.GetRollbackStatements(dialect)));
        Assert.Equal(
            AddedColumns(VipEntrySql.GetLapseClaimUpgradeStatements(dialect)).Reverse(),
            DroppedColumns(VipEntrySql.GetLapseClaimRollbackStatements(dialect)));
        Assert.Equal(
            AddedColumns(VipEntrySql.GetNudgeUpgradeStatements(dialect)).Reverse(),
            DroppedColumns(VipEntrySql.GetNudgeRollbackStatements(dialect)));
        Assert.Equal(11, DroppedColumns(VipEntrySql.GetRollbackStatements(dialect)).Count());

        // The incremental rollbacks touch no index; the lapse claim one no other column than the link it restores, the
        // nudge one nothing but its own columns.
        Assert.DoesNotContain(VipEntrySql.GetLapseClaimRollbackStatements(dialect), s => s.Contains("INDEX", StringComparison.Ordinal));
        Assert.All(VipEntrySql.GetNudgeRollbackStatements(dialect), s => Assert.Contains(" DROP COLUMN ", s, StringComparison.Ordinal));
        Assert.All(VipEntrySql.GetNudgeUpgradeStatements(dialect), s => Assert.EndsWith(" NULL", s, StringComparison.Ordinal));
    }

    [Fact]
    public void Lapse_claim_names_and_schema_flow_into_the_incremental_scripts()
    {
        void Names(VipEntryModelOptions o)
        {
            o.Schema = "bot";
            o.TableName = "members";
            o.LapseClaimColumn = "claim_id";
            o.LapseLeaseUntilColumn = "claim_until";
            o.LapseLinkColumn = "link_to_revoke";
            o.InviteLinkColumn = "join_link";
            o.LapseHandledAtColumn = "lapse_done_at";
        }

        var up = VipEntrySql.GetLapseClaimUpgradeScript(VipEntrySqlDialect.PostgreSql, Names);
        Assert.Contains("ALTER TABLE \"bot\".\"members\" ADD COLUMN \"claim_id\" character varying(32) NULL", up, StringComparison.Ordinal);
        Assert.Contains("ADD COLUMN \"claim_until\" timestamp with time zone NULL", up, StringComparison.Ordinal);
        Assert.Contains("ADD COLUMN \"link_to_revoke\" character varying(512) NULL", up, StringComparison.Ordinal);
        var down = VipEntrySql.GetLapseClaimRollbackScript(VipEntrySqlDialect.PostgreSql, Names);
        Assert.Contains(
            "UPDATE \"bot\".\"members\" SET \"join_link\" = \"link_to_revoke\" WHERE \"link_to_revoke\" IS NOT NULL AND \"join_link\" IS NULL AND \"lapse_done_at\" IS NULL",
            down,
            StringComparison.Ordinal);
        Assert.DoesNotContain("vip_", up + down, StringComparison.Ordinal);
    }

    [Fact]
    public void Nudge_names_and_schema_flow_into_the_incremental_scripts()
    {
        void Names(VipEntryModelOptions o)
        {
            o.Schema = "bot";
            o.TableName = "members";
            o.StageEnteredAtColumn = "stage_since";
            o.StageNudgedAtColumn = "stage_reminded_at";
            o.GrantNudgedAtColumn = "link_reminded_at";
        }

        var up = VipEntrySql.GetNudgeUpgradeScript(VipEntrySqlDialect.PostgreSql, Names);
        Assert.Contains("ALTER TABLE \"bot\".\"members\" ADD COLUMN \"stage_since\" timestamp with time zone NULL", up, StringComparison.Ordinal);
        Assert.Contains("ADD COLUMN \"stage_reminded_at\" timestamp with time zone NULL", up, StringComparison.Ordinal);
        Assert.Contains("ADD COLUMN \"link_reminded_at\" timestamp with time zone NULL", up, StringComparison.Ordinal);
        var down = VipEntrySql.GetNudgeRollbackScript(VipEntrySqlDialect.PostgreSql, Names);
        Assert.Contains("ALTER TABLE \"bot\".\"members\" DROP COLUMN \"link_reminded_at\"", down, StringComparison.Ordinal);
        Assert.DoesNotContain("vip_", up + down, StringComparison.Ordinal);

        // The full scripts use them too.
        var full = VipEntrySql.GetUpgradeScript(VipEntrySqlDialect.Sqlite, Names) + VipEntrySql.GetRollbackScript(VipEntrySqlDialect.Sqlite, Names);
        Assert.Contains("ADD COLUMN \"stage_since\" TEXT NULL", full, StringComparison.Ordinal);
        Assert.Contains("DROP COLUMN \"stage_since\"", full, StringComparison.Ordinal);
        Assert.DoesNotContain("nudged_at", full, StringComparison.Ordinal);
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

    private static IEnumerable<string> AddedColumns(IEnumerable<string> statements) =>
        statements.Where(s => s.StartsWith("ALTER TABLE", StringComparison.Ordinal) && s.Contains(" ADD ", StringComparison.Ordinal))
            .Select(s => s.Split(" ADD ", 2)[1].Replace("COLUMN ", string.Empty, StringComparison.Ordinal).Split(' ')[0]);

    private static IEnumerable<string> DroppedColumns(IEnumerable<string> statements) =>
        statements.Where(s => s.Contains(" DROP COLUMN ", StringComparison.Ordinal)).Select(s => s.Split(" DROP COLUMN ", 2)[1]);

    [Fact]
    public void Unknown_migration_provider_is_a_clear_error()
    {
        var builder = new Microsoft.EntityFrameworkCore.Migrations.MigrationBuilder("Some.Other.Provider");
        var ex = Assert.Throws<NotSupportedException>(() => builder.AddVipEntryColumns());
        Assert.Contains("Some.Other.Provider", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<NotSupportedException>(() => builder.AddVipEntryLapseClaimColumns());
        Assert.Contains("Some.Other.Provider", ex.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => builder.DropVipEntryLapseClaimColumns());
        ex = Assert.Throws<NotSupportedException>(() => builder.AddVipEntryNudgeColumns());
        Assert.Contains("Some.Other.Provider", ex.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => builder.DropVipEntryNudgeColumns());
        ex = Assert.Throws<NotSupportedException>(() => builder.AddVipEntryChannelTable());
        Assert.Contains("Some.Other.Provider", ex.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => builder.DropVipEntryChannelTable());
        Assert.Empty(builder.Operations);
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
        Assert.Equal(VipEntrySql.GetLapseClaimUpgradeScript(dialect), File.ReadAllText(Path.Combine(directory, $"vipentry-lapse-claim-upgrade.{name}.sql")).ReplaceLineEndings("\n"));
        Assert.Equal(VipEntrySql.GetLapseClaimRollbackScript(dialect), File.ReadAllText(Path.Combine(directory, $"vipentry-lapse-claim-rollback.{name}.sql")).ReplaceLineEndings("\n"));
        Assert.Equal(VipEntrySql.GetNudgeUpgradeScript(dialect), File.ReadAllText(Path.Combine(directory, $"vipentry-nudge-upgrade.{name}.sql")).ReplaceLineEndings("\n"));
        Assert.Equal(VipEntrySql.GetNudgeRollbackScript(dialect), File.ReadAllText(Path.Combine(directory, $"vipentry-nudge-rollback.{name}.sql")).ReplaceLineEndings("\n"));
        Assert.Equal(VipEntrySql.GetChannelUpgradeScript(dialect), File.ReadAllText(Path.Combine(directory, $"vipentry-channel-upgrade.{name}.sql")).ReplaceLineEndings("\n"));
        Assert.Equal(VipEntrySql.GetChannelRollbackScript(dialect), File.ReadAllText(Path.Combine(directory, $"vipentry-channel-rollback.{name}.sql")).ReplaceLineEndings("\n"));
        Assert.Equal(VipEntrySql.GetUpdateClaimsUpgradeScript(dialect), File.ReadAllText(Path.Combine(directory, $"vipentry-update-claims-upgrade.{name}.sql")).ReplaceLineEndings("\n"));
        Assert.Equal(VipEntrySql.GetUpdateClaimsRollbackScript(dialect), File.ReadAllText(Path.Combine(directory, $"vipentry-update-claims-rollback.{name}.sql")).ReplaceLineEndings("\n"));
        Assert.Equal(VipEntrySql.GetPaymentsUpgradeScript(dialect), File.ReadAllText(Path.Combine(directory, $"vipentry-payments-upgrade.{name}.sql")).ReplaceLineEndings("\n"));
        Assert.Equal(VipEntrySql.GetPaymentsRollbackScript(dialect), File.ReadAllText(Path.Combine(directory, $"vipentry-payments-rollback.{name}.sql")).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Issue17_SqlServer_payments_upgrade_and_rollback_have_the_right_statement_shapes()
    {
        var up = VipEntrySql.GetPaymentsUpgradeStatements(VipEntrySqlDialect.SqlServer, o => o.Schema = "dbo");
        Assert.Equal(
            [
                "CREATE TABLE [dbo].[vip_entry_payments] ([charge_id] varchar(128) NOT NULL, [user_id] bigint NOT NULL, [currency] varchar(8) NOT NULL, "
                    + "[amount] bigint NOT NULL, [paid_at] datetime2 NOT NULL, [period_end] datetime2 NOT NULL, [is_recurring] bit NOT NULL, "
                    + "[is_first_recurring] bit NOT NULL, [applied_at] datetime2 NULL, [refunded_at] datetime2 NULL, [renewal_canceled_at] datetime2 NULL, "
                    + "[claim_owner] varchar(64) NULL, [claim_until] datetime2 NULL, CONSTRAINT [pk_vip_entry_payments] PRIMARY KEY ([charge_id]))",
                "CREATE INDEX [idx_vip_entry_payments_latest] ON [dbo].[vip_entry_payments] ([user_id], [paid_at])",
                "CREATE INDEX [idx_vip_entry_payments_unapplied] ON [dbo].[vip_entry_payments] ([applied_at], [refunded_at], [paid_at])",
                "CREATE INDEX [idx_vip_entry_payments_cancel] ON [dbo].[vip_entry_payments] ([renewal_canceled_at], [refunded_at])",
            ],
            up);
        Assert.Equal(["DROP TABLE [dbo].[vip_entry_payments]"], VipEntrySql.GetPaymentsRollbackStatements(VipEntrySqlDialect.SqlServer, o => o.Schema = "dbo"));
        Assert.Equal(4, VipEntrySql.GetPaymentsUpgradeScript(VipEntrySqlDialect.SqlServer).Split('\n').Count(l => l == "GO"));
    }

    [Theory]
    [InlineData(VipEntrySqlDialect.Sqlite, "\"p\"")]
    [InlineData(VipEntrySqlDialect.PostgreSql, "\"pay\".\"p\"")]
    [InlineData(VipEntrySqlDialect.SqlServer, "[pay].[p]")]
    public void Issue17_The_payments_table_name_and_schema_flow_into_its_step_and_nothing_else_changes(VipEntrySqlDialect dialect, string table)
    {
        void Names(VipEntryModelOptions o)
        {
            o.Schema = "pay";
            o.PaymentsTableName = "p";
        }

        var up = VipEntrySql.GetPaymentsUpgradeStatements(dialect, Names);
        Assert.StartsWith($"CREATE TABLE {table} (", up[0], StringComparison.Ordinal);
        Assert.Contains("pk_p", up[0], StringComparison.Ordinal);
        Assert.All(up.Skip(1), s => Assert.Contains($" ON {table} (", s, StringComparison.Ordinal));
        Assert.Contains(up, s => s.Contains("idx_p_latest", StringComparison.Ordinal));
        Assert.Equal([$"DROP TABLE {table}"], VipEntrySql.GetPaymentsRollbackStatements(dialect, Names));

        // The full upgrade and rollback are not changed by this step (as the update claims step: run it after them).
        Assert.DoesNotContain(VipEntrySql.GetUpgradeStatements(dialect), s => s.Contains("vip_entry_payments", StringComparison.Ordinal));
        Assert.DoesNotContain(VipEntrySql.GetRollbackStatements(dialect), s => s.Contains("vip_entry_payments", StringComparison.Ordinal));
    }

    [Fact]
    public void Issue17_The_payments_table_cannot_share_a_name_with_another_table()
    {
        Assert.Throws<ArgumentException>(() => VipEntrySql.GetPaymentsUpgradeStatements(VipEntrySqlDialect.Sqlite, o => o.PaymentsTableName = "vip_subscribers"));
        Assert.Throws<ArgumentException>(() => VipEntrySql.GetPaymentsUpgradeStatements(VipEntrySqlDialect.Sqlite, o => o.PaymentsTableName = "vip_entry_channel"));
        Assert.Throws<ArgumentException>(() => VipEntrySql.GetPaymentsUpgradeStatements(VipEntrySqlDialect.Sqlite, o => o.PaymentsTableName = "vip_entry_updates"));
        Assert.Throws<ArgumentException>(() => VipEntrySql.GetPaymentsUpgradeStatements(VipEntrySqlDialect.Sqlite, o => o.PaymentsTableName = " "));
    }

    [Fact]
    public void Every_shipped_script_file_is_one_the_generator_checks()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "sql"), "*.sql").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);
        string[] kinds = ["channel-rollback", "channel-upgrade", "lapse-claim-rollback", "lapse-claim-upgrade", "nudge-rollback", "nudge-upgrade", "payments-rollback", "payments-upgrade", "rollback", "update-claims-rollback", "update-claims-upgrade", "upgrade"];
        string[] engines = ["postgresql", "sqlite", "sqlserver"];
        Assert.Equal(kinds.SelectMany(k => engines.Select(e => $"vipentry-{k}.{e}.sql")).Order(StringComparer.Ordinal), files);
    }
}
