using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore;

namespace VipEntry.SampleBot.Data;

/// <summary>The sample's own database: activation codes, pending removals and VipEntry's subscribers.</summary>
/// <param name="options">The provider options (SQLite or PostgreSQL).</param>
public sealed class SampleDbContext(DbContextOptions<SampleDbContext> options) : DbContext(options)
{
    /// <summary>Activation codes.</summary>
    public DbSet<ActivationCode> ActivationCodes => Set<ActivationCode>();

    /// <summary>Lapses whose transport work is still to do.</summary>
    public DbSet<PendingRemoval> PendingRemovals => Set<PendingRemoval>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        // The ritual's subscribers, with VipEntry's default (original bot's) column names.
        modelBuilder.AddVipEntrySubscribers();
        modelBuilder.Entity<ActivationCode>(code =>
        {
            code.ToTable("activation_codes");
            code.Property(c => c.CodeHash).HasMaxLength(64).IsFixedLength(false);
            code.HasIndex(c => c.CodeHash).IsUnique();
        });
        modelBuilder.Entity<PendingRemoval>(removal =>
        {
            removal.ToTable("pending_removals");
            removal.Property(r => r.LinkToRevoke).HasMaxLength(2048);
        });
    }
}
