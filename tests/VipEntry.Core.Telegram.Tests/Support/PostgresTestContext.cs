using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore;

namespace VipEntry.Core.Telegram.Tests.Support;

/// <summary>The PostgreSQL host's DbContext: the ready-made subscriber entity with the package's default mapping (<c>timestamp with time zone</c>).</summary>
public sealed class PostgresTestContext(DbContextOptions<PostgresTestContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddVipEntrySubscribers();
}
