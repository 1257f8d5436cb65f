using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore;

namespace VipEntry.SampleBot.Data;

/// <summary>The sample's own database: activation codes, and VipEntry's tables (subscribers, channel facts, webhook update claims).</summary>
/// <param name="options">The provider options (SQLite or PostgreSQL).</param>
public sealed class SampleDbContext(DbContextOptions<SampleDbContext> options) : DbContext(options)
{
    /// <summary>Activation codes.</summary>
    public DbSet<ActivationCode> ActivationCodes => Set<ActivationCode>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        // The ritual's subscribers, with VipEntry's default (original bot's) column names; the same call maps VipEntry's
        // own tables (channel facts, and the webhook's update claims, vip_entry_updates).
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
    }
}
