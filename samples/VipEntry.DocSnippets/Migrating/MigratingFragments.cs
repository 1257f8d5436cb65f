using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore;

namespace VipEntry.DocSnippets.Migrating;

/// <summary>docs/migrating-an-existing-bot.md: the fragments that are not migrations, with what they name from the host as parameters.</summary>
public static class MigratingFragments
{
    /// <summary>Path A, step 1: the ritual mapped onto the host's entity.</summary>
    public static void Model(ModelBuilder modelBuilder)
    {
        #region model
        modelBuilder.Entity<VipSubscriber>(b =>
        {
            b.ToTable("vip_subscribers");
            b.HasKey(x => x.UserId);
            b.Property(x => x.UserId).HasColumnName("user_id");
            b.Property(x => x.ExpiresAt).HasColumnName("expires_at");   // a DateTimeOffset, stored as UTC
            b.HasVipEntry(x => x.UserId, x => x.ExpiresAt);
        });
        #endregion
    }

    /// <summary>Path A, step 3: the store registered.</summary>
    public static void Register(IServiceCollection services)
    {
        #region register
        services.AddVipEntry().AddEntityFrameworkCoreStore<BotDbContext, VipSubscriber>();
        #endregion
    }

    /// <summary>Path B: the scripts generated with the host's names.</summary>
    public static void Scripts()
    {
        #region scripts
        File.WriteAllText("upgrade.sql", VipEntrySql.GetUpgradeScript(VipEntrySqlDialect.Sqlite, o => o.TableName = "members"));
        File.WriteAllText("rollback.sql", VipEntrySql.GetRollbackScript(VipEntrySqlDialect.Sqlite, o => o.TableName = "members"));
        #endregion
    }
}
