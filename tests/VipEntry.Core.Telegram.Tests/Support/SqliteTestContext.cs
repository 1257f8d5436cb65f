using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore;

namespace VipEntry.Core.Telegram.Tests.Support;

/// <summary>A new host's DbContext: the ready-made subscriber entity, one call in OnModelCreating.</summary>
public sealed class SqliteTestContext(DbContextOptions<SqliteTestContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddVipEntrySubscribers();
}
