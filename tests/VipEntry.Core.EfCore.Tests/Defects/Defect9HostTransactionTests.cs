using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Stages;

namespace VipEntry.Core.EfCore.Tests.Defects;

/// <summary>
/// Defect 9: the store statements that may meet a unique index (create of an existing subscriber, a grant hash held by
/// another row, a link recorded on another row) catch the violation and ask "is it taken by another?". Inside the host's
/// own transaction on PostgreSQL the failed statement aborts the transaction, so that follow-up read threw and the host's
/// work was lost. The store must answer <see langword="false"/> and leave the host's transaction usable and committable.
/// </summary>
public sealed class Defect9HostTransactionTests
{
    private const string Variant = "defect9:ready-made+host_notes";
    private const string HashA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string HashB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string Link1 = "https://t.me/+link-of-subscriber-1";
    private const string Link2 = "https://t.me/+link-of-subscriber-2";
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The store statement that meets a unique index inside the host's transaction.</summary>
    public enum Conflict
    {
        /// <summary>TryCreateAsync of a subscriber who exists (primary key).</summary>
        Create,

        /// <summary>TryIssueGrantAsync with a hash another row holds (token hash index).</summary>
        IssueGrant,

        /// <summary>TryRecordLinkAsync with a link another row recorded (invite link index).</summary>
        RecordLink,

        /// <summary>All three in a row, then a create of the host's own uncommitted row.</summary>
        All,
    }

    public static TheoryData<DatabaseEngine, Conflict> Cases
    {
        get
        {
            var cases = new TheoryData<DatabaseEngine, Conflict>();
            foreach (var engine in new[] { DatabaseEngine.Sqlite, DatabaseEngine.Postgres })
            {
                foreach (var conflict in Enum.GetValues<Conflict>())
                {
                    cases.Add(engine, conflict);
                }
            }

            return cases;
        }
    }

    // The host's model: the ready-made subscriber plus a table of the host's own.
    private static void Model(ModelBuilder modelBuilder)
    {
        modelBuilder.AddVipEntrySubscribers();
        modelBuilder.Entity<HostNote>(b =>
        {
            b.ToTable("host_notes");
            b.HasKey(x => x.Id);
            b.Property(x => x.Text).HasMaxLength(100);
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Defect9_unique_index_conflicts_inside_the_hosts_transaction_return_false_and_the_hosts_work_commits(DatabaseEngine engine, Conflict conflict)
    {
        await using var database = await ScratchDatabase.CreateAsync(engine, "defect9");
        await using (var setup = VariantContext.Create(database, Variant, Model))
        {
            Assert.True(await setup.Database.EnsureCreatedAsync());
            var store = new EfCoreVipEntryStore<VariantContext, VipEntrySubscriber>(setup, canInsert: true);
            foreach (var id in new long[] { 1, 2 })
            {
                Assert.True(await store.TryCreateAsync(id, Now.AddDays(30)));
                Assert.True(await store.TryAdvanceAsync(id, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, Now));
                Assert.True(await store.TryAdvanceAsync(id, VipEntryStage.ExpectationAlignment, VipEntryStage.AccessDelivery, Now));
            }

            Assert.True(await store.TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, HashA, Now, Now));
            Assert.True(await store.TryRecordLinkAsync(1, HashA, Link1));
            Assert.True(await store.TryIssueGrantAsync(2, VipEntryStage.AccessDelivery, null, HashB, Now, Now));
        }

        await using (var context = VariantContext.Create(database, Variant, Model))
        {
            var store = new EfCoreVipEntryStore<VariantContext, VipEntrySubscriber>(context, canInsert: true);
            await using var transaction = await context.Database.BeginTransactionAsync();

            // The host's own work, before: a row of its own table and a ready-made subscriber row.
            context.Add(new HostNote { Text = "before" });
            context.Add(new VipEntrySubscriber { UserId = 3, ExpiresAt = Now.AddDays(30) });
            Assert.Equal(2, await context.SaveChangesAsync());

            // Each statement meets a unique index: a refusal, not an exception, and not the end of the transaction.
            if (conflict is Conflict.Create or Conflict.All)
            {
                Assert.False(await store.TryCreateAsync(1, Now.AddDays(60)));
            }

            if (conflict is Conflict.IssueGrant or Conflict.All)
            {
                Assert.False(await store.TryIssueGrantAsync(2, VipEntryStage.AccessDelivery, HashB, HashA, Now, Now));
            }

            if (conflict is Conflict.RecordLink or Conflict.All)
            {
                Assert.False(await store.TryRecordLinkAsync(2, HashB, Link1));
            }

            if (conflict is Conflict.All)
            {
                Assert.False(await store.TryCreateAsync(3, Now.AddDays(60)));
            }

            // More work in the same transaction, the store's and the host's.
            Assert.True(await store.TryRecordLinkAsync(2, HashB, Link2));
            Assert.True(await store.TryCreateAsync(4, Now.AddDays(30)));
            context.Add(new HostNote { Text = "after" });
            Assert.Equal(1, await context.SaveChangesAsync());
            await transaction.CommitAsync();
        }

        await using (var check = VariantContext.Create(database, Variant, Model))
        {
            Assert.Equal(["after", "before"], await check.Set<HostNote>().Select(n => n.Text).OrderBy(t => t).ToListAsync());
            Assert.Equal([1L, 2L, 3L, 4L], await check.Set<VipEntrySubscriber>().Select(s => s.UserId).OrderBy(id => id).ToListAsync());
            var store = new EfCoreVipEntryStore<VariantContext, VipEntrySubscriber>(check, canInsert: true);
            var one = (await store.FindAsync(1))!;
            Assert.Equal((HashA, Link1, Now.AddDays(30)), (one.GrantTokenHash, one.GrantLink, one.SubscriptionEndsAt));
            var two = (await store.FindAsync(2))!;
            Assert.Equal((HashB, Link2), (two.GrantTokenHash, two.GrantLink));
            Assert.Equal(VipEntryStage.ActivationConfirmation, (await store.FindAsync(3))!.Stage);
        }
    }
}
