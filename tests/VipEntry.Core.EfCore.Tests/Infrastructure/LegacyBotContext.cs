using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>A host with its own <c>vip_subscribers</c> table, adding the ritual to its entity.</summary>
public sealed class LegacyBotContext(DbContextOptions<LegacyBotContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<LegacySubscriber>(b =>
        {
            b.ToTable("vip_subscribers");
            b.HasKey(x => x.UserId);
            b.Property(x => x.UserId).HasColumnName("user_id");
            b.Property(x => x.Username).HasColumnName("username").HasMaxLength(64);
            b.Property(x => x.ExpiresAt).HasColumnName("expires_at");
            b.HasVipEntry(x => x.UserId, x => x.ExpiresAt);
        });
}
