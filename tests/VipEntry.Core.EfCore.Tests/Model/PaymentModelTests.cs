using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Model;

/// <summary>Issue 17: the payments table is VipEntry's own, mapped by the same call as the ritual, with the store's indexes.</summary>
public sealed class PaymentModelTests : IDisposable
{
    private static readonly string[] Properties =
    [
        nameof(VipEntryPaymentEntity.ChargeId), nameof(VipEntryPaymentEntity.PersonId), nameof(VipEntryPaymentEntity.Currency),
        nameof(VipEntryPaymentEntity.Amount), nameof(VipEntryPaymentEntity.PaidAt), nameof(VipEntryPaymentEntity.PeriodEnd),
        nameof(VipEntryPaymentEntity.IsRecurring), nameof(VipEntryPaymentEntity.IsFirstRecurring), nameof(VipEntryPaymentEntity.AppliedAt),
        nameof(VipEntryPaymentEntity.RefundedAt), nameof(VipEntryPaymentEntity.RenewalCanceledAt), nameof(VipEntryPaymentEntity.ClaimOwner),
        nameof(VipEntryPaymentEntity.ClaimUntil),
    ];

    private readonly SqliteDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private static StoreObjectIdentifier Table(IEntityType t) => StoreObjectIdentifier.Table(t.GetTableName()!, t.GetSchema());

    [Fact]
    public void Issue17_The_payments_table_is_mapped_by_the_same_call_for_the_ready_made_and_the_host_entity()
    {
        using var readyMade = new ReadyMadeContext(new DbContextOptionsBuilder<ReadyMadeContext>().UseSqlite(_db.ConnectionString).Options);
        using var host = new LegacyBotContext(new DbContextOptionsBuilder<LegacyBotContext>().UseSqlite(_db.ConnectionString).Options);
        foreach (var model in new[] { readyMade.Model, host.Model })
        {
            var t = model.FindEntityType(typeof(VipEntryPaymentEntity))!;
            Assert.NotNull(t);
            Assert.Equal(true, t.FindAnnotation("VipEntry:Payments")!.Value);
            Assert.Equal("vip_entry_payments", t.GetTableName());
            Assert.Null(t.GetSchema());
            Assert.Equal(
                [
                    "charge_id", "user_id", "currency", "amount", "paid_at", "period_end", "is_recurring", "is_first_recurring", "applied_at",
                    "refunded_at", "renewal_canceled_at", "claim_owner", "claim_until",
                ],
                Properties.Select(p => t.FindProperty(p)!.GetColumnName(Table(t))));
            var key = t.FindPrimaryKey()!;
            Assert.Equal([nameof(VipEntryPaymentEntity.ChargeId)], key.Properties.Select(p => p.Name));
            Assert.Equal("pk_vip_entry_payments", key.GetName());
            foreach (var (property, length) in new[] { (nameof(VipEntryPaymentEntity.ChargeId), 128), (nameof(VipEntryPaymentEntity.Currency), 8), (nameof(VipEntryPaymentEntity.ClaimOwner), 64) })
            {
                Assert.Equal(length, t.FindProperty(property)!.GetMaxLength());
                Assert.False(t.FindProperty(property)!.IsUnicode());
            }

            foreach (var nullable in new[] { nameof(VipEntryPaymentEntity.AppliedAt), nameof(VipEntryPaymentEntity.RefundedAt), nameof(VipEntryPaymentEntity.RenewalCanceledAt), nameof(VipEntryPaymentEntity.ClaimOwner), nameof(VipEntryPaymentEntity.ClaimUntil) })
            {
                Assert.True(t.FindProperty(nullable)!.IsNullable, nullable);
            }

            Assert.Equal(5, Properties.Count(p => t.FindProperty(p)!.IsNullable));
            foreach (var time in new[] { nameof(VipEntryPaymentEntity.PaidAt), nameof(VipEntryPaymentEntity.PeriodEnd), nameof(VipEntryPaymentEntity.AppliedAt), nameof(VipEntryPaymentEntity.RefundedAt), nameof(VipEntryPaymentEntity.RenewalCanceledAt), nameof(VipEntryPaymentEntity.ClaimUntil) })
            {
                Assert.IsType<UtcDateTimeOffsetConverter>(t.FindProperty(time)!.GetTypeMapping().Converter);
            }

            Assert.Equal(
                [
                    "idx_vip_entry_payments_cancel (RenewalCanceledAt, RefundedAt)",
                    "idx_vip_entry_payments_latest (PersonId, PaidAt)",
                    "idx_vip_entry_payments_unapplied (AppliedAt, RefundedAt, PaidAt)",
                ],
                t.GetIndexes().Select(i => $"{i.GetDatabaseName(Table(t))} ({string.Join(", ", i.Properties.Select(p => p.Name))})").Order(StringComparer.Ordinal));
            Assert.All(t.GetIndexes(), i => Assert.False(i.IsUnique));
            Assert.Empty(t.GetForeignKeys());
            Assert.Empty(t.GetReferencingForeignKeys());
        }
    }

    [Fact]
    public void Issue17_The_payments_table_name_is_an_option_and_the_table_follows_the_host_entitys_schema()
    {
        using var context = VariantContext.Create(
            o => o.UseNpgsql("Host=127.0.0.1;Database=never_opened"),
            "issue17:payments-names",
            m => m.Entity<LegacySubscriber>(b =>
            {
                b.ToTable("subscribers", "legacy");
                b.HasKey(x => x.UserId);
                b.HasVipEntry(x => x.UserId, x => x.ExpiresAt, o => o.PaymentsTableName = "stars");
            }));
        var t = context.Model.FindEntityType(typeof(VipEntryPaymentEntity))!;
        Assert.Equal("stars", t.GetTableName());
        Assert.Equal("legacy", t.GetSchema());
        Assert.Equal("pk_stars", t.FindPrimaryKey()!.GetName());
        Assert.Contains(t.GetIndexes(), i => i.GetDatabaseName(Table(t)) == "idx_stars_latest");
        Assert.ThrowsAny<ArgumentException>(() => new ModelBuilder().AddVipEntrySubscribers(o => o.PaymentsTableName = ""));
        Assert.ThrowsAny<ArgumentException>(() => new ModelBuilder().AddVipEntrySubscribers(o => o.PaymentsTableName = o.ChannelTableName));
    }

    [Fact]
    public async Task Issue17_The_created_sqlite_table_has_the_payment_columns_key_and_indexes()
    {
        await using (var context = new LegacyBotContext(new DbContextOptionsBuilder<LegacyBotContext>().UseSqlite(_db.ConnectionString).Options))
        {
            await context.Database.EnsureCreatedAsync();
        }

        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name || ' ' || type || ' ' || \"notnull\" || ' ' || pk FROM pragma_table_info('vip_entry_payments') ORDER BY name";
        var columns = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }

        Assert.Equal(
            [
                "amount INTEGER 1 0", "applied_at TEXT 0 0", "charge_id TEXT 1 1", "claim_owner TEXT 0 0", "claim_until TEXT 0 0", "currency TEXT 1 0",
                "is_first_recurring INTEGER 1 0", "is_recurring INTEGER 1 0", "paid_at TEXT 1 0", "period_end TEXT 1 0", "refunded_at TEXT 0 0",
                "renewal_canceled_at TEXT 0 0", "user_id INTEGER 1 0",
            ],
            columns);
    }
}
