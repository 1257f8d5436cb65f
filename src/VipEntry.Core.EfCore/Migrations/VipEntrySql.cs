// Serves R1, R2 and R8 (the full upgrade from the original bot's table, with the steps for R17, R18 and R19) and R10 (times as UTC).
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
public static partial class VipEntrySql
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

        public string PaymentsTable => Qualify(Options.PaymentsTableName);

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
