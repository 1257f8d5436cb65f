using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore;

namespace VipEntry.DocSnippets;

/// <summary>The host's context the README's fragments name.</summary>
public sealed class BotDbContext(DbContextOptions<BotDbContext> options) : DbContext(options)
{
    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddVipEntrySubscribers();
}
