using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore;
using VipEntry.Core.Engine;

namespace VipEntry.DocSnippets;

/// <summary>README.md, "Use it in your bot".</summary>
public static class ReadmeUseItInYourBot
{
    /// <summary>The fragment, with what it names from the host as parameters.</summary>
    public static async Task Fragment(IServiceCollection services, IServiceScope scope, long userId, DateTimeOffset subscriptionEndsAt, CultureInfo culture,
        string callbackData, long joiningUserId, string inviteLink, long joinedUserId)
    {
        #region use-it-in-your-bot
        // Pooled: a bot opens a scope per update, and a new DbContext per update costs more than the ritual's own statement.
        services.AddDbContextPool<BotDbContext>(o => o.UseSqlite("Data Source=bot.db"));   // or UseNpgsql(...)
        services.AddVipEntry(o => o.LinkLifetime = TimeSpan.FromHours(24))             // or AddVipEntry(configuration.GetSection("VipEntry"))
                .AddEntityFrameworkCoreStore<BotDbContext>();  // .UseInMemoryStore() in your unit tests
        // Your transport plugs in on the same builder: .AddTelegram(...) on Telegram (below); any other transport registers
        // its link issuer and its port of the channel worker: .UseLinkIssuer<YourLinkIssuer>().UseChannel<YourChatPort>().

        // BotDbContext.OnModelCreating: modelBuilder.AddVipEntrySubscribers();   (the host fails to start without it)
        // ...or add the ritual to your own table: modelBuilder.Entity<VipSubscriber>().HasVipEntry(x => x.UserId, x => x.ExpiresAt);
        //    and register AddEntityFrameworkCoreStore<BotDbContext, VipSubscriber>().
        // Create the schema as you do for your own tables: Database.EnsureCreatedAsync() or your migrations
        // (an existing table: docs/migrating-an-existing-bot.md).

        var ritual = scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
        await ritual.ActivateAsync(userId, subscriptionEndsAt);                  // R1/R2: stage 1
        var step = await ritual.GetStepAsync(userId, culture);                   // text + button to show (R9)
        step = await ritual.HandleCallbackAsync(userId, callbackData, culture);  // a button press: compare-and-set (R3)
        var joined = await ritual.RedeemLinkAsync(joiningUserId, inviteLink);    // join request: completes exactly once (R6)
        var status = await ritual.GetStatusAsync(userId);                        // read-only: stage, subscription, grant, lapse
        var back = await ritual.RequestReentryAsync(userId);                     // R16: a completed member outside the channel gets a new link

        // Everything the VIP chat is owed (R16–R19: remove whoever may be inside without being entitled, lift bans from people
        // who pay, revoke links of grants that no longer stand, lapse notices, reminders) is done by VipEntry's one channel
        // worker, over a small port your transport implements (docs/channel-port.md); any number of replicas run it:
        //     services.AddVipEntry().AddEntityFrameworkCoreStore<BotDbContext>().UseChannel<MyChatPort>();
        await ritual.ReportInsideAsync(joinedUserId);                            // R19: your transport saw someone join (an intruder is removed)
        #endregion
        GC.KeepAlive((step, joined, status, back));
    }
}
