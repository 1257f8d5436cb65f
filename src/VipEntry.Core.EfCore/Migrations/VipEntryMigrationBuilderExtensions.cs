using Microsoft.EntityFrameworkCore.Migrations;
using VipEntry.Core.Options;

namespace VipEntry.Core.EfCore;

/// <summary>
/// Adds the ritual to an existing subscriber table from the host's own EF Core migration, with the same statements as
/// <see cref="VipEntrySql"/> for the migration's provider (SQLite, PostgreSQL or SQL Server).
/// </summary>
public static class VipEntryMigrationBuilderExtensions
{
    /// <summary>
    /// In a migration's <c>Up</c>: adds the ritual columns (stage defaults to 1), backfills existing active subscribers
    /// to completed (<c>NULL</c>, no ritual), records existing expired subscribers as already handled, creates the indexes,
    /// and creates the channel table of R19 with a record for each active subscriber (they may be inside).
    /// Use it instead of the operations EF Core scaffolds for <c>HasVipEntry</c>, which would not backfill. For a
    /// database that already has the first version's ritual columns, use <see cref="AddVipEntryLapseClaimColumns"/>, then
    /// <see cref="AddVipEntryNudgeColumns"/> and then <see cref="AddVipEntryChannelTable"/>; for one that also has the lapse
    /// claim columns, the last two; for one that also has the nudge columns, <see cref="AddVipEntryChannelTable"/>.
    /// </summary>
    /// <param name="migrationBuilder">The migration builder.</param>
    /// <param name="configure">Table, schema, column and index names; use the same as in the model.</param>
    /// <param name="channelKey">The chat key of the channel records: the host's <see cref="VipEntryOptions.ChannelKey"/>.</param>
    /// <returns>The same migration builder.</returns>
    /// <exception cref="NotSupportedException">When the migration's provider is not SQLite, PostgreSQL or SQL Server.</exception>
    /// <exception cref="ArgumentException">When <paramref name="channelKey"/> is empty or longer than 64 characters.</exception>
    public static MigrationBuilder AddVipEntryColumns(this MigrationBuilder migrationBuilder, Action<VipEntryModelOptions>? configure = null, string channelKey = VipEntryOptions.DefaultChannelKey) =>
        Apply(migrationBuilder, (dialect, names) => VipEntrySql.GetUpgradeStatements(dialect, names, channelKey), configure);

    /// <summary>In a migration's <c>Down</c>: drops the channel table, then the ritual's indexes and then its columns, leaving the original table and rows.</summary>
    /// <param name="migrationBuilder">The migration builder.</param>
    /// <param name="configure">Table, schema, column and index names; use the same as in <see cref="AddVipEntryColumns"/>.</param>
    /// <returns>The same migration builder.</returns>
    /// <exception cref="NotSupportedException">When the migration's provider is not SQLite, PostgreSQL or SQL Server.</exception>
    public static MigrationBuilder DropVipEntryColumns(this MigrationBuilder migrationBuilder, Action<VipEntryModelOptions>? configure = null) =>
        Apply(migrationBuilder, VipEntrySql.GetRollbackStatements, configure);

    /// <summary>
    /// In a migration's <c>Up</c>, for a database that already ran the first version's upgrade (the ritual without lapse
    /// claims): adds only the lapse claim, lease and link columns (R17), as <see cref="VipEntrySql.GetLapseClaimUpgradeStatements"/>.
    /// The first version's lapse records stay: a lapse its sweep reported counts as handled.
    /// </summary>
    /// <param name="migrationBuilder">The migration builder.</param>
    /// <param name="configure">Table, schema and column names; use the same as in the model.</param>
    /// <returns>The same migration builder.</returns>
    /// <exception cref="NotSupportedException">When the migration's provider is not SQLite, PostgreSQL or SQL Server.</exception>
    public static MigrationBuilder AddVipEntryLapseClaimColumns(this MigrationBuilder migrationBuilder, Action<VipEntryModelOptions>? configure = null) =>
        Apply(migrationBuilder, VipEntrySql.GetLapseClaimUpgradeStatements, configure);

    /// <summary>
    /// In the <c>Down</c> of the migration that called <see cref="AddVipEntryLapseClaimColumns"/>: gives each claimed but
    /// unconfirmed lapse its link to revoke back in the invite link column, then drops the lapse link, lease and claim
    /// columns, leaving the first version's schema and every row, as <see cref="VipEntrySql.GetLapseClaimRollbackStatements"/>.
    /// </summary>
    /// <param name="migrationBuilder">The migration builder.</param>
    /// <param name="configure">Table, schema and column names; use the same as in <see cref="AddVipEntryLapseClaimColumns"/>.</param>
    /// <returns>The same migration builder.</returns>
    /// <exception cref="NotSupportedException">When the migration's provider is not SQLite, PostgreSQL or SQL Server.</exception>
    public static MigrationBuilder DropVipEntryLapseClaimColumns(this MigrationBuilder migrationBuilder, Action<VipEntryModelOptions>? configure = null) =>
        Apply(migrationBuilder, VipEntrySql.GetLapseClaimRollbackStatements, configure);

    /// <summary>
    /// In a migration's <c>Up</c>, for a database that already has the lapse claim columns (after
    /// <see cref="AddVipEntryLapseClaimColumns"/>, or a full upgrade from the version that added them): adds only the nudge
    /// columns (R18: stage entry, stage nudge, grant reminder), as <see cref="VipEntrySql.GetNudgeUpgradeStatements"/>.
    /// Nothing is backfilled: a member whose stage entry is unknown has the clock started by the first nudge pass.
    /// </summary>
    /// <param name="migrationBuilder">The migration builder.</param>
    /// <param name="configure">Table, schema and column names; use the same as in the model.</param>
    /// <returns>The same migration builder.</returns>
    /// <exception cref="NotSupportedException">When the migration's provider is not SQLite, PostgreSQL or SQL Server.</exception>
    public static MigrationBuilder AddVipEntryNudgeColumns(this MigrationBuilder migrationBuilder, Action<VipEntryModelOptions>? configure = null) =>
        Apply(migrationBuilder, VipEntrySql.GetNudgeUpgradeStatements, configure);

    /// <summary>
    /// In the <c>Down</c> of the migration that called <see cref="AddVipEntryNudgeColumns"/>: drops the grant reminder, stage
    /// nudge and stage entry columns, leaving the lapse claim schema and every row, as
    /// <see cref="VipEntrySql.GetNudgeRollbackStatements"/>. Which nudges were handed out is forgotten.
    /// </summary>
    /// <param name="migrationBuilder">The migration builder.</param>
    /// <param name="configure">Table, schema and column names; use the same as in <see cref="AddVipEntryNudgeColumns"/>.</param>
    /// <returns>The same migration builder.</returns>
    /// <exception cref="NotSupportedException">When the migration's provider is not SQLite, PostgreSQL or SQL Server.</exception>
    public static MigrationBuilder DropVipEntryNudgeColumns(this MigrationBuilder migrationBuilder, Action<VipEntryModelOptions>? configure = null) =>
        Apply(migrationBuilder, VipEntrySql.GetNudgeRollbackStatements, configure);

    /// <summary>
    /// In a migration's <c>Up</c>, for a database that already has the nudge columns (after
    /// <see cref="AddVipEntryNudgeColumns"/>, or a full upgrade from the version that added them): creates VipEntry's channel
    /// table of R19 (who may be inside, bans that may stand, links to revoke; in the subscriber table's schema, with no
    /// foreign key) and records each subscriber whose ritual is completed and whose lapse is not confirmed as possibly
    /// inside, due when the subscription ends, as <see cref="VipEntrySql.GetChannelUpgradeStatements"/>. The subscriber
    /// table is not changed. Use it instead of the table EF Core scaffolds for the model, which would not backfill.
    /// </summary>
    /// <param name="migrationBuilder">The migration builder.</param>
    /// <param name="configure">Table, schema, column and index names; use the same as in the model.</param>
    /// <param name="channelKey">The chat key of the records: the host's <see cref="VipEntryOptions.ChannelKey"/> (default <c>main</c>).</param>
    /// <returns>The same migration builder.</returns>
    /// <exception cref="NotSupportedException">When the migration's provider is not SQLite, PostgreSQL or SQL Server.</exception>
    /// <exception cref="ArgumentException">When <paramref name="channelKey"/> is empty or longer than 64 characters.</exception>
    public static MigrationBuilder AddVipEntryChannelTable(this MigrationBuilder migrationBuilder, Action<VipEntryModelOptions>? configure = null, string channelKey = VipEntryOptions.DefaultChannelKey) =>
        Apply(migrationBuilder, (dialect, names) => VipEntrySql.GetChannelUpgradeStatements(dialect, names, channelKey), configure);

    /// <summary>
    /// In the <c>Down</c> of the migration that called <see cref="AddVipEntryChannelTable"/>: drops the channel table, leaving
    /// the nudge schema and every subscriber row, as <see cref="VipEntrySql.GetChannelRollbackStatements"/>. The channel
    /// facts (intruders recorded, bans that may stand, links still to revoke) are lost.
    /// </summary>
    /// <param name="migrationBuilder">The migration builder.</param>
    /// <param name="configure">Table, schema and channel table names; use the same as in <see cref="AddVipEntryChannelTable"/>.</param>
    /// <returns>The same migration builder.</returns>
    /// <exception cref="NotSupportedException">When the migration's provider is not SQLite, PostgreSQL or SQL Server.</exception>
    public static MigrationBuilder DropVipEntryChannelTable(this MigrationBuilder migrationBuilder, Action<VipEntryModelOptions>? configure = null) =>
        Apply(migrationBuilder, VipEntrySql.GetChannelRollbackStatements, configure);

    /// <summary>
    /// In the <c>Up</c> of a migration of yours (issue 15): creates VipEntry's table of webhook update claims
    /// (<see cref="VipEntryModelOptions.UpdateClaimsTableName"/>, default <c>vip_entry_updates</c>), which the same
    /// <c>AddVipEntrySubscribers()</c>/<c>HasVipEntry</c> call maps, as <see cref="VipEntrySql.GetUpdateClaimsUpgradeStatements"/>.
    /// </summary>
    /// <param name="migrationBuilder">The migration builder.</param>
    /// <param name="configure">Schema and update claims table name, as in the model.</param>
    /// <returns>The same migration builder.</returns>
    /// <exception cref="NotSupportedException">When the migration's provider is not SQLite, PostgreSQL or SQL Server.</exception>
    public static MigrationBuilder AddVipEntryUpdateClaimsTable(this MigrationBuilder migrationBuilder, Action<VipEntryModelOptions>? configure = null) =>
        Apply(migrationBuilder, VipEntrySql.GetUpdateClaimsUpgradeStatements, configure);

    /// <summary>In the <c>Down</c> of the migration that called <see cref="AddVipEntryUpdateClaimsTable"/>: drops the table, as <see cref="VipEntrySql.GetUpdateClaimsRollbackStatements"/>.</summary>
    /// <param name="migrationBuilder">The migration builder.</param>
    /// <param name="configure">Schema and update claims table name; the same as in <see cref="AddVipEntryUpdateClaimsTable"/>.</param>
    /// <returns>The same migration builder.</returns>
    /// <exception cref="NotSupportedException">When the migration's provider is not SQLite, PostgreSQL or SQL Server.</exception>
    public static MigrationBuilder DropVipEntryUpdateClaimsTable(this MigrationBuilder migrationBuilder, Action<VipEntryModelOptions>? configure = null) =>
        Apply(migrationBuilder, VipEntrySql.GetUpdateClaimsRollbackStatements, configure);

    /// <summary>
    /// In the <c>Up</c> of a migration of yours (issue 17): creates VipEntry's table of payments
    /// (<see cref="VipEntryModelOptions.PaymentsTableName"/>, default <c>vip_entry_payments</c>) with its indexes, which the
    /// same <c>AddVipEntrySubscribers()</c>/<c>HasVipEntry</c> call maps, as <see cref="VipEntrySql.GetPaymentsUpgradeStatements"/>.
    /// </summary>
    /// <param name="migrationBuilder">The migration builder.</param>
    /// <param name="configure">Schema and payments table name, as in the model.</param>
    /// <returns>The same migration builder.</returns>
    /// <exception cref="NotSupportedException">When the migration's provider is not SQLite, PostgreSQL or SQL Server.</exception>
    public static MigrationBuilder AddVipEntryPaymentsTable(this MigrationBuilder migrationBuilder, Action<VipEntryModelOptions>? configure = null) =>
        Apply(migrationBuilder, VipEntrySql.GetPaymentsUpgradeStatements, configure);

    /// <summary>
    /// In the <c>Down</c> of the migration that called <see cref="AddVipEntryPaymentsTable"/>: drops the table, as
    /// <see cref="VipEntrySql.GetPaymentsRollbackStatements"/> (the record of payments is lost).
    /// </summary>
    /// <param name="migrationBuilder">The migration builder.</param>
    /// <param name="configure">Schema and payments table name; the same as in <see cref="AddVipEntryPaymentsTable"/>.</param>
    /// <returns>The same migration builder.</returns>
    /// <exception cref="NotSupportedException">When the migration's provider is not SQLite, PostgreSQL or SQL Server.</exception>
    public static MigrationBuilder DropVipEntryPaymentsTable(this MigrationBuilder migrationBuilder, Action<VipEntryModelOptions>? configure = null) =>
        Apply(migrationBuilder, VipEntrySql.GetPaymentsRollbackStatements, configure);

    // Every helper is "these statements, for the migration's provider".
    private static MigrationBuilder Apply(MigrationBuilder migrationBuilder, Func<VipEntrySqlDialect, Action<VipEntryModelOptions>?, IReadOnlyList<string>> statements, Action<VipEntryModelOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        foreach (var statement in statements(DialectOf(migrationBuilder), configure))
        {
            migrationBuilder.Sql(statement);
        }

        return migrationBuilder;
    }

    internal static VipEntrySqlDialect DialectOf(MigrationBuilder migrationBuilder) => migrationBuilder.ActiveProvider switch
    {
        "Microsoft.EntityFrameworkCore.Sqlite" => VipEntrySqlDialect.Sqlite,
        "Npgsql.EntityFrameworkCore.PostgreSQL" => VipEntrySqlDialect.PostgreSql,
        "Microsoft.EntityFrameworkCore.SqlServer" => VipEntrySqlDialect.SqlServer,
        var other => throw new NotSupportedException($"VipEntry has no migration SQL for the provider '{other ?? "(none)"}'; use SQLite, PostgreSQL or SQL Server, or write the statements by hand."),
    };
}
