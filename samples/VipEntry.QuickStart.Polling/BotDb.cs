using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore;

namespace MyBot;

public sealed class BotDb(DbContextOptions<BotDb> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddVipEntrySubscribers();   // the ritual's tables (or modelBuilder.Entity<YourSubscriber>().HasVipEntry(...))
        // ... your own entities
    }
}
