using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore;

namespace VipEntry.DocSnippets;

/// <summary>src/VipEntry.Core.EfCore/README.md, "How to use".</summary>
public static class EfCoreReadme
{
    /// <summary>The ready-made entity's registration.</summary>
    public static void ReadyMade(IServiceCollection services)
    {
        #region efcore-readme-ready-made
        // Pooled: a bot opens a scope per update, and a new DbContext per update costs more than the ritual's own statement.
        services.AddDbContextPool<BotDbContext>(o => o.UseSqlite("Data Source=bot.db"));
        services.AddVipEntry().AddEntityFrameworkCoreStore<BotDbContext>();   // the host fails to start if the model lacks the call
        #endregion
    }

    /// <summary>The host's own entity.</summary>
    public static void OwnEntity(ModelBuilder modelBuilder, IServiceCollection services)
    {
        #region efcore-readme-own-entity
        modelBuilder.Entity<VipSubscriber>(b =>
        {
            b.ToTable("vip_subscribers");
            b.HasVipEntry(x => x.UserId, x => x.ExpiresAt);                    // ritual columns become shadow properties
        });

        services.AddVipEntry().AddEntityFrameworkCoreStore<BotDbContext, VipSubscriber>();
        #endregion
    }
}
