// Serves R19 (who may be inside is a recorded fact) and R17 (its owed work under leases): the channel step's upgrade and rollback.
using VipEntry.Core.Options;

namespace VipEntry.Core.EfCore;

public static partial class VipEntrySql
{
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
}
