using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore;

namespace VipEntry.Load.Storage;

/// <summary>A new host's context: the ready-made subscriber entity, one call in OnModelCreating; plus the run's model VIP chat.</summary>
public sealed class LoadDbContext(DbContextOptions<LoadDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddVipEntrySubscribers();
        modelBuilder.Entity<LoadChannelRow>(b =>
        {
            b.ToTable("load_channel");
            b.HasKey(r => r.UserId);
            b.Property(r => r.UserId).HasColumnName("user_id").ValueGeneratedNever();
            b.Property(r => r.Inside).HasColumnName("inside");
            b.Property(r => r.Banned).HasColumnName("banned");
            b.Property(r => r.Pending).HasColumnName("pending");
            b.Property(r => r.Version).HasColumnName("version");
        });
    }
}
