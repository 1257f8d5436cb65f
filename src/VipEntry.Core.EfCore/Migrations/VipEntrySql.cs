using System.Globalization;
using System.Text;
using VipEntry.Core.Options;

namespace VipEntry.Core.EfCore;

/// <summary>
/// Plain SQL for hosts that do not use EF Core migrations: adds the ritual to an existing subscriber table and rolls it
/// back. The upgrade adds the columns (stage defaults to 1), backfills existing <em>active</em> subscribers to
/// <c>NULL</c> (completed: they keep access and skip the ritual), records existing <em>expired</em> subscribers as
/// already handled (their channel work is not owed: the first sweep does not claim them), creates the indexes, and
/// creates VipEntry's channel table (R19) with a record for each active subscriber (they are inside the channel). The
/// rollback drops the channel table, then the indexes and then the columns, leaving the original table and rows.
/// </summary>
/// <remarks>
/// <para>
/// Databases upgraded by an earlier version take incremental steps, in order. A database that ran the first version's
/// upgrade (stage, token, issue time, invite link and lapse record columns with their indexes) needs the lapse claim
/// columns of R17 (claim, lease, link to revoke): <see cref="GetLapseClaimUpgradeStatements"/> adds them and
/// <see cref="GetLapseClaimRollbackStatements"/> takes the table back to the first version's schema. A database with the
/// lapse claim columns needs the nudge columns of R18 (stage entry, stage nudge, grant reminder):
/// <see cref="GetNudgeUpgradeStatements"/> adds them and <see cref="GetNudgeRollbackStatements"/> takes the table back to
/// the lapse claim schema. A database with the nudge columns needs the channel table of R19 (who may be inside, bans,
/// links to revoke): <see cref="GetChannelUpgradeStatements"/> creates it with its backfill and
/// <see cref="GetChannelRollbackStatements"/> drops it. The full upgrade is the first version's upgrade with the lapse
/// claim and nudge steps' columns added, in that order, and then the channel step.
/// </para>
/// <para>
/// Times are compared as UTC. On SQLite the subscription end must be UTC text in the form <c>YYYY-MM-DD HH:MM:SS[.fff…]</c>;
/// on PostgreSQL it should be <c>timestamp with time zone</c>. See <c>docs/migrating-an-existing-bot.md</c>.
/// </para>
/// </remarks>
public static class VipEntrySql
{
    /// <summary>The upgrade as separate statements, in order (run them in one transaction where the engine allows).</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Table, schema, column and index names.</param>
    /// <param name="channelKey">The chat key of the channel records the upgrade writes: <see cref="VipEntryOptions.ChannelKey"/>.</param>
    /// <returns>The statements, without trailing semicolons.</returns>
    /// <exception cref="ArgumentException">When <paramref name="channelKey"/> is empty or longer than 64 characters.</exception>
    public static IReadOnlyList<string> GetUpgradeStatements(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null, string channelKey = VipEntryOptions.DefaultChannelKey) =>
        Upgrade(new Dialect(dialect, VipEntryModelOptions.Create(configure)), channelKey);

    /// <summary>The rollback as separate statements, in order.</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Table, schema, column and index names.</param>
    /// <returns>The statements, without trailing semicolons.</returns>
    public static IReadOnlyList<string> GetRollbackStatements(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        Rollback(new Dialect(dialect, VipEntryModelOptions.Create(configure)));

    /// <summary>The upgrade as one script (SQL Server batches are separated by <c>GO</c>).</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Table, schema, column and index names.</param>
    /// <param name="channelKey">The chat key of the channel records the upgrade writes: <see cref="VipEntryOptions.ChannelKey"/>.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentException">When <paramref name="channelKey"/> is empty or longer than 64 characters.</exception>
    public static string GetUpgradeScript(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null, string channelKey = VipEntryOptions.DefaultChannelKey) =>
        Script(dialect, "upgrade", GetUpgradeStatements(dialect, configure, channelKey));

    /// <summary>The rollback as one script (SQL Server batches are separated by <c>GO</c>).</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Table, schema, column and index names.</param>
    /// <returns>The script.</returns>
    public static string GetRollbackScript(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        Script(dialect, "rollback", GetRollbackStatements(dialect, configure));

    /// <summary>
    /// The upgrade from the first version's schema (the ritual without lapse claims) as separate statements, in order:
    /// adds the lapse claim, lease and link columns of R17, all nullable. No backfill: a lapse the first version's sweep
    /// reported keeps its lapse record and counts as handled; one it never reported is claimed by the next sweep.
    /// </summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Table, schema and column names.</param>
    /// <returns>The statements, without trailing semicolons.</returns>
    public static IReadOnlyList<string> GetLapseClaimUpgradeStatements(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        LapseClaimUpgrade(new Dialect(dialect, VipEntryModelOptions.Create(configure)));

    /// <summary>
    /// The rollback to the first version's schema as separate statements, in order: moves the link of each claimed but
    /// unconfirmed lapse back to the invite link column (where the first version's sweep reports it again, so the owed
    /// channel work is not lost), then drops the lapse link, lease and claim columns. Rows and the other columns stay.
    /// </summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Table, schema and column names.</param>
    /// <returns>The statements, without trailing semicolons.</returns>
    public static IReadOnlyList<string> GetLapseClaimRollbackStatements(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        LapseClaimRollback(new Dialect(dialect, VipEntryModelOptions.Create(configure)));

    /// <summary>The upgrade from the first version's schema (see <see cref="GetLapseClaimUpgradeStatements"/>) as one script (SQL Server batches are separated by <c>GO</c>).</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Table, schema and column names.</param>
    /// <returns>The script.</returns>
    public static string GetLapseClaimUpgradeScript(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        Script(dialect, "lapse claim upgrade", GetLapseClaimUpgradeStatements(dialect, configure));

    /// <summary>The rollback to the first version's schema (see <see cref="GetLapseClaimRollbackStatements"/>) as one script (SQL Server batches are separated by <c>GO</c>).</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Table, schema and column names.</param>
    /// <returns>The script.</returns>
    public static string GetLapseClaimRollbackScript(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        Script(dialect, "lapse claim rollback", GetLapseClaimRollbackStatements(dialect, configure));

    /// <summary>
    /// The upgrade from the lapse claim schema (the ritual with the lapse claim columns of R17, see
    /// <see cref="GetLapseClaimUpgradeStatements"/>) as separate statements, in order: adds the nudge columns of R18 (when
    /// the current stage was entered, when its visit's nudge was handed out, when the current grant's reminder was handed
    /// out), all nullable times. No backfill: an unknown stage entry (<c>NULL</c>) makes the first nudge pass start the
    /// member's clock instead of nudging, and a live grant gets its reminder once, as a grant issued after the upgrade would.
    /// </summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Table, schema and column names.</param>
    /// <returns>The statements, without trailing semicolons.</returns>
    public static IReadOnlyList<string> GetNudgeUpgradeStatements(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        NudgeColumns(new Dialect(dialect, VipEntryModelOptions.Create(configure)));

    /// <summary>
    /// The rollback to the lapse claim schema as separate statements, in order: drops the grant reminder, stage nudge and
    /// stage entry columns. Rows and the other columns stay; the record of which nudges were handed out is lost, so
    /// upgrading again starts every member's clock afresh.
    /// </summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Table, schema and column names.</param>
    /// <returns>The statements, without trailing semicolons.</returns>
    public static IReadOnlyList<string> GetNudgeRollbackStatements(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        NudgeRollback(new Dialect(dialect, VipEntryModelOptions.Create(configure)));

    /// <summary>The upgrade from the lapse claim schema (see <see cref="GetNudgeUpgradeStatements"/>) as one script (SQL Server batches are separated by <c>GO</c>).</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Table, schema and column names.</param>
    /// <returns>The script.</returns>
    public static string GetNudgeUpgradeScript(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        Script(dialect, "nudge upgrade", GetNudgeUpgradeStatements(dialect, configure));

    /// <summary>The rollback to the lapse claim schema (see <see cref="GetNudgeRollbackStatements"/>) as one script (SQL Server batches are separated by <c>GO</c>).</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Table, schema and column names.</param>
    /// <returns>The script.</returns>
    public static string GetNudgeRollbackScript(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        Script(dialect, "nudge rollback", GetNudgeRollbackStatements(dialect, configure));

    /// <summary>
    /// The upgrade from the nudge schema (the ritual with the nudge columns of R18, see <see cref="GetNudgeUpgradeStatements"/>)
    /// as separate statements, in order: creates VipEntry's channel table of R19 (who may be inside, whether a ban the library
    /// placed may stand, links to revoke, and the claim on the owed work; no foreign key, records exist for people who are not
    /// subscribers) in the subscriber table's schema with its due index, and backfills it: every subscriber whose ritual is
    /// completed (stage <c>NULL</c>) and whose lapse is not confirmed (<c>vip_entry_lapse_handled_at</c> is <c>NULL</c>) was
    /// admitted by the original bot or an earlier version and may be inside, so gets a record that may be inside, no ban,
    /// no links, due when the subscription ends, version 1. The subscriber table is not changed.
    /// </summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Table, schema, column and index names (of the subscriber table and the channel table).</param>
    /// <param name="channelKey">The chat key of the records: <see cref="VipEntryOptions.ChannelKey"/> (default <c>main</c>).</param>
    /// <returns>The statements, without trailing semicolons.</returns>
    /// <exception cref="ArgumentException">When <paramref name="channelKey"/> is empty or longer than 64 characters.</exception>
    public static IReadOnlyList<string> GetChannelUpgradeStatements(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null, string channelKey = VipEntryOptions.DefaultChannelKey) =>
        ChannelUpgrade(new Dialect(dialect, VipEntryModelOptions.Create(configure)), channelKey);

    /// <summary>
    /// The rollback to the nudge schema as separate statements: drops the channel table (with its index). The subscriber
    /// table and its rows stay. The channel facts are lost: who was recorded inside (intruders too), bans that may stand and
    /// links still to revoke; the nudge version knows only the lapses of its subscriber table.
    /// </summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Table, schema and channel table names.</param>
    /// <returns>The statements, without trailing semicolons.</returns>
    public static IReadOnlyList<string> GetChannelRollbackStatements(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        ChannelRollback(new Dialect(dialect, VipEntryModelOptions.Create(configure)));

    /// <summary>The upgrade from the nudge schema (see <see cref="GetChannelUpgradeStatements"/>) as one script (SQL Server batches are separated by <c>GO</c>).</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Table, schema, column and index names.</param>
    /// <param name="channelKey">The chat key of the records: <see cref="VipEntryOptions.ChannelKey"/>.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentException">When <paramref name="channelKey"/> is empty or longer than 64 characters.</exception>
    public static string GetChannelUpgradeScript(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null, string channelKey = VipEntryOptions.DefaultChannelKey) =>
        Script(dialect, "channel upgrade", GetChannelUpgradeStatements(dialect, configure, channelKey));

    /// <summary>The rollback to the nudge schema (see <see cref="GetChannelRollbackStatements"/>) as one script (SQL Server batches are separated by <c>GO</c>).</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Table, schema and channel table names.</param>
    /// <returns>The script.</returns>
    public static string GetChannelRollbackScript(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        Script(dialect, "channel rollback", GetChannelRollbackStatements(dialect, configure));

    /// <summary>
    /// The update claims step (issue 15), from any schema that has the channel table, as separate statements: creates
    /// VipEntry's table of webhook update claims (<see cref="VipEntryModelOptions.UpdateClaimsTableName"/>: <c>source</c>,
    /// <c>update_id</c>, <c>done</c>, <c>owner</c>, <c>lease_until</c>, <c>done_at</c>; primary key (source, update_id)) in
    /// the subscriber table's schema. Nothing else changes.
    /// </summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Schema and update claims table name.</param>
    /// <returns>The statements, without trailing semicolons.</returns>
    public static IReadOnlyList<string> GetUpdateClaimsUpgradeStatements(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        UpdateClaimsUpgrade(new Dialect(dialect, VipEntryModelOptions.Create(configure)));

    /// <summary>The rollback of <see cref="GetUpdateClaimsUpgradeStatements"/>: drops the update claims table (claims in flight are lost).</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Schema and update claims table name.</param>
    /// <returns>The statements, without trailing semicolons.</returns>
    public static IReadOnlyList<string> GetUpdateClaimsRollbackStatements(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        [$"DROP TABLE {new Dialect(dialect, VipEntryModelOptions.Create(configure)).UpdateClaimsTable}"];

    /// <summary>The update claims step (see <see cref="GetUpdateClaimsUpgradeStatements"/>) as one script.</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Schema and update claims table name.</param>
    /// <returns>The script.</returns>
    public static string GetUpdateClaimsUpgradeScript(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        Script(dialect, "update claims upgrade", GetUpdateClaimsUpgradeStatements(dialect, configure));

    /// <summary>The rollback of the update claims step (see <see cref="GetUpdateClaimsRollbackStatements"/>) as one script.</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Schema and update claims table name.</param>
    /// <returns>The script.</returns>
    public static string GetUpdateClaimsRollbackScript(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        Script(dialect, "update claims rollback", GetUpdateClaimsRollbackStatements(dialect, configure));

    private static List<string> UpdateClaimsUpgrade(Dialect d)
    {
        var o = d.Options;
        string[] columns =
        [
            $"{d.Quote("source")} {d.StringType(Storage.IVipEntryUpdateClaims.MaxSourceLength, unicode: false)} NOT NULL",
            $"{d.Quote("update_id")} {d.BigIntType} NOT NULL",
            $"{d.Quote("done")} {d.BoolType} NOT NULL",
            $"{d.Quote("owner")} {d.StringType(Storage.IVipEntryUpdateClaims.MaxOwnerLength, unicode: false)} NOT NULL",
            $"{d.Quote("lease_until")} {d.TimeType} NOT NULL",
            $"{d.Quote("done_at")} {d.TimeType} NULL",
            $"CONSTRAINT {d.Quote("pk_" + o.UpdateClaimsTableName)} PRIMARY KEY ({d.Quote("source")}, {d.Quote("update_id")})",
        ];
        return [$"CREATE TABLE {d.UpdateClaimsTable} ({string.Join(", ", columns)})"];
    }

    private static string Script(VipEntrySqlDialect dialect, string kind, IReadOnlyList<string> statements)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"-- VipEntry {kind} ({dialect}). Generated by VipEntrySql; do not edit by hand.\n");
        foreach (var statement in statements)
        {
            sb.Append(statement).Append(";\n");
            if (dialect == VipEntrySqlDialect.SqlServer)
            {
                // A column added in a batch cannot be referenced in the same batch.
                sb.Append("GO\n");
            }
        }

        return sb.ToString();
    }

    private static List<string> Upgrade(Dialect d, string channelKey)
    {
        var channel = ChannelUpgrade(d, channelKey); // validates the key before anything is built
        var o = d.Options;
        var t = d.Table;
        var stage = d.Quote(o.StageColumn);
        var end = d.Quote(o.SubscriptionEndColumn);
        var check = $"CONSTRAINT {d.Quote(o.StageCheckConstraintName)} CHECK ({stage} IN (1, 2, 3))";
        var stageDefault = d.Kind == VipEntrySqlDialect.SqlServer
            ? $"CONSTRAINT {d.Quote("df_" + o.StageColumn)} DEFAULT 1 WITH VALUES"
            : "DEFAULT 1";
        return
        [
            $"{d.AddColumn} {stage} {d.IntType} NULL {stageDefault} {check}",
            $"{d.AddColumn} {d.Quote(o.TokenHashColumn)} {d.StringType(64)} NULL",
            $"{d.AddColumn} {d.Quote(o.IssuedAtColumn)} {d.TimeType} NULL",
            $"{d.AddColumn} {d.Quote(o.InviteLinkColumn)} {d.StringType(VipEntryPropertyNames.MaxInviteLinkLength)} NULL",
            $"{d.AddColumn} {d.Quote(o.LapseHandledAtColumn)} {d.TimeType} NULL",
            .. LapseClaimColumns(d),
            .. NudgeColumns(d),
            $"UPDATE {t} SET {stage} = NULL WHERE {end} > {d.Now}",
            $"UPDATE {t} SET {d.Quote(o.LapseHandledAtColumn)} = {d.Now} WHERE {end} <= {d.Now}",
            d.CreateIndex(o.StageIndexName, unique: false, o.StageColumn),
            d.CreateIndex(o.TokenHashIndexName, unique: true, o.TokenHashColumn),
            d.CreateIndex(o.InviteLinkIndexName, unique: true, o.InviteLinkColumn),
            d.CreateIndex(o.LapseIndexName, unique: false, o.LapseHandledAtColumn, o.SubscriptionEndColumn),

            // After the backfill above: the active members it completed are the ones inside.
            .. channel,
        ];
    }

    private static List<string> Rollback(Dialect d)
    {
        var o = d.Options;
        List<string> statements =
        [
            // The channel table first: the reverse of the order of the upgrade.
            .. ChannelRollback(d),

            // Indexes first: SQLite cannot drop an indexed column.
            d.DropIndex(o.LapseIndexName),
            d.DropIndex(o.InviteLinkIndexName),
            d.DropIndex(o.TokenHashIndexName),
            d.DropIndex(o.StageIndexName),
        ];
        if (d.Kind == VipEntrySqlDialect.SqlServer)
        {
            // SQL Server cannot drop a column that a constraint still names.
            statements.Add($"ALTER TABLE {d.Table} DROP CONSTRAINT {d.Quote(o.StageCheckConstraintName)}");
            statements.Add($"ALTER TABLE {d.Table} DROP CONSTRAINT {d.Quote("df_" + o.StageColumn)}");
        }

        // The reverse of the order they were added in.
        DropNudgeColumns(d, statements);
        DropColumns(d, statements, o.LapseLinkColumn, o.LapseLeaseUntilColumn, o.LapseClaimColumn);
        DropColumns(d, statements, o.LapseHandledAtColumn, o.InviteLinkColumn, o.IssuedAtColumn, o.TokenHashColumn, o.StageColumn);
        return statements;
    }

    // R17's owed channel work; no index: the sweep reads the lapse index and filters on the claim.
    private static List<string> LapseClaimColumns(Dialect d)
    {
        var o = d.Options;
        return
        [
            $"{d.AddColumn} {d.Quote(o.LapseClaimColumn)} {d.StringType(VipEntryPropertyNames.LapseClaimLength, unicode: false)} NULL",
            $"{d.AddColumn} {d.Quote(o.LapseLeaseUntilColumn)} {d.TimeType} NULL",
            $"{d.AddColumn} {d.Quote(o.LapseLinkColumn)} {d.StringType(VipEntryPropertyNames.MaxInviteLinkLength)} NULL",
        ];
    }

    private static List<string> LapseClaimUpgrade(Dialect d) => LapseClaimColumns(d);

    private static List<string> LapseClaimRollback(Dialect d)
    {
        var o = d.Options;
        var lapseLink = d.Quote(o.LapseLinkColumn);
        var inviteLink = d.Quote(o.InviteLinkColumn);
        var statements = new List<string>
        {
            // A claimed, unconfirmed lapse holds the link to revoke only in the lapse link column (the claim cleared the
            // grant). The first version's sweep reports the lapse again (no lapse record) with the invite link column.
            $"UPDATE {d.Table} SET {inviteLink} = {lapseLink} WHERE {lapseLink} IS NOT NULL AND {inviteLink} IS NULL AND {d.Quote(o.LapseHandledAtColumn)} IS NULL",
        };
        DropColumns(d, statements, o.LapseLinkColumn, o.LapseLeaseUntilColumn, o.LapseClaimColumn);
        return statements;
    }

    // R18's nudge record; no index: a nudge pass reads the stage index and filters on these.
    private static List<string> NudgeColumns(Dialect d)
    {
        var o = d.Options;
        return
        [
            $"{d.AddColumn} {d.Quote(o.StageEnteredAtColumn)} {d.TimeType} NULL",
            $"{d.AddColumn} {d.Quote(o.StageNudgedAtColumn)} {d.TimeType} NULL",
            $"{d.AddColumn} {d.Quote(o.GrantNudgedAtColumn)} {d.TimeType} NULL",
        ];
    }

    // The lapse claim schema does not nudge: nothing to hand back, only the columns to drop.
    private static List<string> NudgeRollback(Dialect d)
    {
        var statements = new List<string>();
        DropNudgeColumns(d, statements);
        return statements;
    }

    private static void DropNudgeColumns(Dialect d, List<string> statements) =>
        DropColumns(d, statements, d.Options.GrantNudgedAtColumn, d.Options.StageNudgedAtColumn, d.Options.StageEnteredAtColumn);

    // R19's channel facts: VipEntry's own table, no foreign key (intruders are no subscribers), the worker's due index,
    // and a record for each member the original bot or an earlier version admitted.
    private static List<string> ChannelUpgrade(Dialect d, string channelKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelKey);
        if (channelKey.Length > VipEntryChannelModel.ChatLength)
        {
            throw new ArgumentException($"The channel key is at most {VipEntryChannelModel.ChatLength} characters long.", nameof(channelKey));
        }

        var o = d.Options;
        var table = d.ChannelTable;
        string[] columns =
        [
            $"{d.Quote(o.ChannelChatColumn)} {d.StringType(VipEntryChannelModel.ChatLength, unicode: false)} NOT NULL",
            $"{d.Quote(o.ChannelPersonIdColumn)} {d.BigIntType} NOT NULL",
            $"{d.Quote(o.ChannelMayBeInsideColumn)} {d.BoolType} NOT NULL",
            $"{d.Quote(o.ChannelBanMayStandColumn)} {d.BoolType} NOT NULL",
            $"{d.Quote(o.ChannelLinksToRevokeColumn)} {d.TextType} NULL",
            $"{d.Quote(o.ChannelDueAtColumn)} {d.TimeType} NULL",
            $"{d.Quote(o.ChannelClaimColumn)} {d.StringType(VipEntryChannelModel.ClaimLength, unicode: false)} NULL",
            $"{d.Quote(o.ChannelLeaseUntilColumn)} {d.TimeType} NULL",
            $"{d.Quote(o.ChannelVersionColumn)} {d.BigIntType} NOT NULL",
            $"{d.Quote(o.ChannelLanguageColumn)} {d.StringType(VipEntryChannelModel.LanguageLength, unicode: false)} NULL",
            $"CONSTRAINT {d.Quote(o.ChannelPrimaryKeyName)} PRIMARY KEY ({d.Quote(o.ChannelChatColumn)}, {d.Quote(o.ChannelPersonIdColumn)})",
        ];
        string[] inserted =
        [
            o.ChannelChatColumn, o.ChannelPersonIdColumn, o.ChannelMayBeInsideColumn, o.ChannelBanMayStandColumn, o.ChannelLinksToRevokeColumn,
            o.ChannelDueAtColumn, o.ChannelClaimColumn, o.ChannelLeaseUntilColumn, o.ChannelVersionColumn,
        ];
        var key = "'" + channelKey.Replace("'", "''", StringComparison.Ordinal) + "'";
        return
        [
            $"CREATE TABLE {table} ({string.Join(", ", columns)})",
            d.CreateIndex(table, o.ChannelDueIndexName, unique: false, o.ChannelChatColumn, o.ChannelDueAtColumn),
            $"INSERT INTO {table} ({string.Join(", ", inserted.Select(d.Quote))}) "
                + $"SELECT {key}, {d.Quote(o.SubscriberIdColumn)}, {d.True}, {d.False}, NULL, {d.Quote(o.SubscriptionEndColumn)}, NULL, NULL, 1 "
                + $"FROM {d.Table} WHERE {d.Quote(o.StageColumn)} IS NULL AND {d.Quote(o.LapseHandledAtColumn)} IS NULL",
        ];
    }

    // Dropping the table drops its index and key.
    private static List<string> ChannelRollback(Dialect d) => [$"DROP TABLE {d.ChannelTable}"];

    private static void DropColumns(Dialect d, List<string> statements, params string[] columns)
    {
        foreach (var column in columns)
        {
            statements.Add($"ALTER TABLE {d.Table} DROP COLUMN {d.Quote(column)}");
        }
    }

    private sealed class Dialect(VipEntrySqlDialect kind, VipEntryModelOptions options)
    {
        public VipEntrySqlDialect Kind { get; } = kind;

        public VipEntryModelOptions Options { get; } = options;

        // SQLite has no schemas in EF Core's sense; an attached database is out of scope.
        private string? Schema => Kind == VipEntrySqlDialect.Sqlite ? null : Options.Schema;

        public string Table => Qualify(Options.TableName);

        // In the subscriber table's schema, as the model maps it.
        public string ChannelTable => Qualify(Options.ChannelTableName);

        public string UpdateClaimsTable => Qualify(Options.UpdateClaimsTableName);

        public string AddColumn => Kind == VipEntrySqlDialect.SqlServer ? $"ALTER TABLE {Table} ADD" : $"ALTER TABLE {Table} ADD COLUMN";

        public string IntType => Kind switch
        {
            VipEntrySqlDialect.Sqlite => "INTEGER",
            VipEntrySqlDialect.PostgreSql => "integer",
            _ => "int",
        };

        public string BigIntType => Kind == VipEntrySqlDialect.Sqlite ? "INTEGER" : "bigint";

        public string BoolType => Kind switch
        {
            VipEntrySqlDialect.Sqlite => "INTEGER",
            VipEntrySqlDialect.PostgreSql => "boolean",
            _ => "bit",
        };

        public string True => Kind == VipEntrySqlDialect.PostgreSql ? "TRUE" : "1";

        public string False => Kind == VipEntrySqlDialect.PostgreSql ? "FALSE" : "0";

        // Unbounded text, as the model maps a string without a maximum length.
        public string TextType => Kind switch
        {
            VipEntrySqlDialect.Sqlite => "TEXT",
            VipEntrySqlDialect.PostgreSql => "text",
            _ => "nvarchar(max)",
        };

        public string TimeType => Kind switch
        {
            VipEntrySqlDialect.Sqlite => "TEXT",
            VipEntrySqlDialect.PostgreSql => "timestamp with time zone",
            _ => "datetime2",
        };

        // SQLite: the text form EF Core writes for a UTC DateTime, so comparisons order chronologically.
        public string Now => Kind switch
        {
            // Exactly EF Core's text for a UTC DateTime ("…:ss.FFFFFFF": no trailing zeros, no bare dot), so that
            // the store's compare-and-set, which compares times for equality, matches values written here.
            VipEntrySqlDialect.Sqlite => "rtrim(rtrim(strftime('%Y-%m-%d %H:%M:%f', 'now'), '0'), '.')",
            VipEntrySqlDialect.PostgreSql => "now()",
            // Microseconds, as the store writes them, so equality comparisons match.
            _ => "CAST(SYSUTCDATETIME() AS datetime2(6))",
        };

        // unicode: false is the model's IsUnicode(false), which only SQL Server maps to another type.
        public string StringType(int length, bool unicode = true) => Kind switch
        {
            VipEntrySqlDialect.Sqlite => "TEXT",
            VipEntrySqlDialect.PostgreSql => $"character varying({length})",
            _ => unicode ? $"nvarchar({length})" : $"varchar({length})",
        };

        public string Quote(string identifier) => Kind == VipEntrySqlDialect.SqlServer
            ? "[" + identifier.Replace("]", "]]", StringComparison.Ordinal) + "]"
            : "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        public string CreateIndex(string name, bool unique, params string[] columns) => CreateIndex(Table, name, unique, columns);

        public string CreateIndex(string table, string name, bool unique, params string[] columns)
        {
            var list = string.Join(", ", columns.Select(Quote));
            var sql = $"CREATE {(unique ? "UNIQUE " : string.Empty)}INDEX {Quote(name)} ON {table} ({list})";

            // SQL Server allows one NULL in a unique index; the others allow many, as the ritual needs.
            return unique && Kind == VipEntrySqlDialect.SqlServer ? $"{sql} WHERE {Quote(columns[0])} IS NOT NULL" : sql;
        }

        private string Qualify(string name) => Schema is null ? Quote(name) : $"{Quote(Schema)}.{Quote(name)}";

        public string DropIndex(string name) => Kind switch
        {
            VipEntrySqlDialect.SqlServer => $"DROP INDEX {Quote(name)} ON {Table}",
            _ when Schema is not null => $"DROP INDEX IF EXISTS {Quote(Schema)}.{Quote(name)}",
            _ => $"DROP INDEX IF EXISTS {Quote(name)}",
        };
    }
}
