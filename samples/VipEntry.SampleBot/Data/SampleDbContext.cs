using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore;

namespace VipEntry.SampleBot.Data;

/// <summary>The sample's own database: activation codes, webhook updates taken in hand, and VipEntry's subscribers.</summary>
/// <param name="options">The provider options (SQLite or PostgreSQL).</param>
public sealed class SampleDbContext(DbContextOptions<SampleDbContext> options) : DbContext(options)
{
    /// <summary>Activation codes.</summary>
    public DbSet<ActivationCode> ActivationCodes => Set<ActivationCode>();

    /// <summary>Webhook updates taken in hand, for exactly-once processing across replicas.</summary>
    public DbSet<ProcessedUpdate> ProcessedUpdates => Set<ProcessedUpdate>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        // The ritual's subscribers, with VipEntry's default (original bot's) column names.
        modelBuilder.AddVipEntrySubscribers();
        // snake_case like VipEntry's columns, so PostgreSQL needs no quoting.
        modelBuilder.Entity<ActivationCode>(code =>
        {
            code.ToTable("activation_codes");
            code.Property(c => c.Id).HasColumnName("id");
            code.Property(c => c.CodeHash).HasColumnName("code_hash").HasMaxLength(64);
            code.Property(c => c.Days).HasColumnName("days");
            code.Property(c => c.CreatedBy).HasColumnName("created_by");
            code.Property(c => c.CreatedAt).HasColumnName("created_at");
            code.Property(c => c.ConsumedBy).HasColumnName("consumed_by");
            code.Property(c => c.ConsumedAt).HasColumnName("consumed_at");
            code.HasIndex(c => c.CodeHash).IsUnique();
        });
        modelBuilder.Entity<ProcessedUpdate>(update =>
        {
            update.ToTable("telegram_updates");
            update.HasKey(u => u.UpdateId);
            update.Property(u => u.UpdateId).HasColumnName("update_id").ValueGeneratedNever();
            update.Property(u => u.Done).HasColumnName("done");
            update.Property(u => u.LeaseUntil).HasColumnName("lease_until");
            update.Property(u => u.Owner).HasColumnName("owner").HasMaxLength(32);
        });
    }
}
