using Microsoft.EntityFrameworkCore;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore;

/// <summary>The mapping of the payments table, shared by both ways of mapping the ritual and by the migration SQL.</summary>
internal static class VipEntryPaymentModel
{
    /// <summary>The primary key (charge id): <c>pk_</c> + the table name.</summary>
    public static string PrimaryKeyName(VipEntryModelOptions o) => "pk_" + o.PaymentsTableName;

    /// <summary>The index a member's latest payment is read from (user id, paid at): <c>idx_</c> + the table name + <c>_latest</c>.</summary>
    public static string LatestIndexName(VipEntryModelOptions o) => "idx_" + o.PaymentsTableName + "_latest";

    /// <summary>The index the claim of unapplied payments reads (applied at, refunded at, paid at): <c>idx_</c> + the table name + <c>_unapplied</c>.</summary>
    public static string UnappliedIndexName(VipEntryModelOptions o) => "idx_" + o.PaymentsTableName + "_unapplied";

    /// <summary>The index the claim of owed renewal cancellations reads (renewal canceled at, refunded at): <c>idx_</c> + the table name + <c>_cancel</c>.</summary>
    public static string CancelIndexName(VipEntryModelOptions o) => "idx_" + o.PaymentsTableName + "_cancel";

    /// <summary>Maps <see cref="VipEntryPaymentEntity"/> to its own table in <paramref name="schema"/>, with no relationship.</summary>
    public static void Configure(ModelBuilder modelBuilder, VipEntryModelOptions o, string? schema) =>
        modelBuilder.Entity<VipEntryPaymentEntity>(b =>
        {
            b.ToTable(o.PaymentsTableName, schema);
            b.HasKey(x => x.ChargeId).HasName(PrimaryKeyName(o));
            b.Property(x => x.ChargeId).HasColumnName("charge_id").HasMaxLength(IVipEntryPaymentStore.MaxChargeIdLength).IsUnicode(false).IsRequired().ValueGeneratedNever();
            b.Property(x => x.PersonId).HasColumnName("user_id");
            b.Property(x => x.Currency).HasColumnName("currency").HasMaxLength(IVipEntryPaymentStore.MaxCurrencyLength).IsUnicode(false).IsRequired();
            b.Property(x => x.Amount).HasColumnName("amount");
            b.Property(x => x.PaidAt).HasColumnName("paid_at").HasConversion(UtcDateTimeOffsetConverter.Instance);
            b.Property(x => x.PeriodEnd).HasColumnName("period_end").HasConversion(UtcDateTimeOffsetConverter.Instance);
            b.Property(x => x.IsRecurring).HasColumnName("is_recurring");
            b.Property(x => x.IsFirstRecurring).HasColumnName("is_first_recurring");
            b.Property(x => x.AppliedAt).HasColumnName("applied_at").HasConversion(UtcDateTimeOffsetConverter.Instance);
            b.Property(x => x.RefundedAt).HasColumnName("refunded_at").HasConversion(UtcDateTimeOffsetConverter.Instance);
            b.Property(x => x.RenewalCanceledAt).HasColumnName("renewal_canceled_at").HasConversion(UtcDateTimeOffsetConverter.Instance);
            b.Property(x => x.ClaimOwner).HasColumnName("claim_owner").HasMaxLength(IVipEntryPaymentStore.MaxOwnerLength).IsUnicode(false);
            b.Property(x => x.ClaimUntil).HasColumnName("claim_until").HasConversion(UtcDateTimeOffsetConverter.Instance);
            b.HasIndex(x => new { x.PersonId, x.PaidAt }).HasDatabaseName(LatestIndexName(o));
            b.HasIndex(x => new { x.AppliedAt, x.RefundedAt, x.PaidAt }).HasDatabaseName(UnappliedIndexName(o));
            b.HasIndex(x => new { x.RenewalCanceledAt, x.RefundedAt }).HasDatabaseName(CancelIndexName(o));
            b.HasAnnotation(VipEntryAnnotations.Payments, true);
        });
}
