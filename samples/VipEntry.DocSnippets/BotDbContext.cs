using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore;

namespace VipEntry.DocSnippets;

#region efcore-readme-context
public sealed class BotDbContext(DbContextOptions<BotDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.AddVipEntrySubscribers(o => o.Schema = "bot");     // names optional
}
#endregion
