using Microsoft.EntityFrameworkCore;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>A newcomer's context (issue 15): a table of its own, and no <c>modelBuilder.AddVipEntrySubscribers()</c>.</summary>
public sealed class ForgetfulContext(DbContextOptions<ForgetfulContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Payment>();
}
