using Microsoft.EntityFrameworkCore;

namespace VipEntry.SampleBot.Data;

/// <summary>The sample's own database: activation codes, pending removals and (through VipEntry) the subscribers.</summary>
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
