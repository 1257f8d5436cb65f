using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore;

namespace VipEntry.Load.Storage;

/// <summary>A new host's context: the ready-made subscriber entity, one call in OnModelCreating.</summary>
public sealed class LoadDbContext(DbContextOptions<LoadDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddVipEntrySubscribers();
}
