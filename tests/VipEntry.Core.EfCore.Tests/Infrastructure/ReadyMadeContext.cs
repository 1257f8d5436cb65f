using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>A new host: no subscriber table of its own, one call in OnModelCreating, no DbSet.</summary>
public sealed class ReadyMadeContext(DbContextOptions<ReadyMadeContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddVipEntrySubscribers();
}
