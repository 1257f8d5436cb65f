// Serves R18 (nudges): the nudge step's upgrade and rollback.
namespace VipEntry.Core.EfCore;

public static partial class VipEntrySql
{
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
}
