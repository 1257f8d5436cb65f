// Serves issue 17 (payments for VIP access recorded once per charge id, their owed application and renewal cancellation).
namespace VipEntry.Core.EfCore;

public static partial class VipEntrySql
{
    /// <summary>
    /// The payments step (issue 17), from any schema that has the channel table, as separate statements: creates VipEntry's
    /// table of payments (<see cref="VipEntryModelOptions.PaymentsTableName"/>: <c>charge_id</c> (primary key),
    /// <c>user_id</c>, <c>currency</c>, <c>amount</c>, <c>paid_at</c>, <c>period_end</c>, <c>is_recurring</c>,
    /// <c>is_first_recurring</c>, <c>applied_at</c>, <c>refunded_at</c>, <c>renewal_canceled_at</c>, <c>claim_owner</c>,
    /// <c>claim_until</c>) in the subscriber table's schema, with its three indexes (a member's latest payment, the
    /// unapplied payments, the owed renewal cancellations). Nothing else changes; nothing is backfilled.
    /// </summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Schema and payments table name.</param>
    /// <returns>The statements, without trailing semicolons.</returns>
    public static IReadOnlyList<string> GetPaymentsUpgradeStatements(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        PaymentsUpgrade(new Dialect(dialect, VipEntryModelOptions.Create(configure)));

    /// <summary>
    /// The rollback of <see cref="GetPaymentsUpgradeStatements"/>: drops the payments table with its indexes. The record of
    /// payments is lost: which charge ids were applied (a redelivery would be applied again), and the renewal cancellations
    /// still owed after refunds.
    /// </summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Schema and payments table name.</param>
    /// <returns>The statements, without trailing semicolons.</returns>
    public static IReadOnlyList<string> GetPaymentsRollbackStatements(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        [$"DROP TABLE {new Dialect(dialect, VipEntryModelOptions.Create(configure)).PaymentsTable}"];

    /// <summary>The payments step (see <see cref="GetPaymentsUpgradeStatements"/>) as one script (SQL Server batches are separated by <c>GO</c>).</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Schema and payments table name.</param>
    /// <returns>The script.</returns>
    public static string GetPaymentsUpgradeScript(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        Script(dialect, "payments upgrade", GetPaymentsUpgradeStatements(dialect, configure));

    /// <summary>The rollback of the payments step (see <see cref="GetPaymentsRollbackStatements"/>) as one script.</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="configure">Schema and payments table name.</param>
    /// <returns>The script.</returns>
    public static string GetPaymentsRollbackScript(VipEntrySqlDialect dialect, Action<VipEntryModelOptions>? configure = null) =>
        Script(dialect, "payments rollback", GetPaymentsRollbackStatements(dialect, configure));

    // Column for column the table VipEntryPaymentModel maps.
    private static List<string> PaymentsUpgrade(Dialect d)
    {
        var o = d.Options;
        var table = d.PaymentsTable;
        string[] columns =
        [
            $"{d.Quote("charge_id")} {d.StringType(Storage.IVipEntryPaymentStore.MaxChargeIdLength, unicode: false)} NOT NULL",
            $"{d.Quote("user_id")} {d.BigIntType} NOT NULL",
            $"{d.Quote("currency")} {d.StringType(Storage.IVipEntryPaymentStore.MaxCurrencyLength, unicode: false)} NOT NULL",
            $"{d.Quote("amount")} {d.BigIntType} NOT NULL",
            $"{d.Quote("paid_at")} {d.TimeType} NOT NULL",
            $"{d.Quote("period_end")} {d.TimeType} NOT NULL",
            $"{d.Quote("is_recurring")} {d.BoolType} NOT NULL",
            $"{d.Quote("is_first_recurring")} {d.BoolType} NOT NULL",
            $"{d.Quote("applied_at")} {d.TimeType} NULL",
            $"{d.Quote("refunded_at")} {d.TimeType} NULL",
            $"{d.Quote("renewal_canceled_at")} {d.TimeType} NULL",
            $"{d.Quote("claim_owner")} {d.StringType(Storage.IVipEntryPaymentStore.MaxOwnerLength, unicode: false)} NULL",
            $"{d.Quote("claim_until")} {d.TimeType} NULL",
            $"CONSTRAINT {d.Quote(VipEntryPaymentModel.PrimaryKeyName(o))} PRIMARY KEY ({d.Quote("charge_id")})",
        ];
        return
        [
            $"CREATE TABLE {table} ({string.Join(", ", columns)})",
            d.CreateIndex(table, VipEntryPaymentModel.LatestIndexName(o), unique: false, "user_id", "paid_at"),
            d.CreateIndex(table, VipEntryPaymentModel.UnappliedIndexName(o), unique: false, "applied_at", "refunded_at", "paid_at"),
            d.CreateIndex(table, VipEntryPaymentModel.CancelIndexName(o), unique: false, "renewal_canceled_at", "refunded_at"),
        ];
    }
}
