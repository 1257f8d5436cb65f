// Serves R17 (channel work is owed until confirmed) and R8 (the sweep's lapse record): the lapse claim step's upgrade and rollback.
namespace VipEntry.Core.EfCore;

public static partial class VipEntrySql
{
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
}
