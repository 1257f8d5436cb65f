// Serves none of R1-R19 directly: the webhook update claims (issue 15) that make the Telegram package safe with N replicas.
namespace VipEntry.Core.EfCore;

public static partial class VipEntrySql
{
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
}
