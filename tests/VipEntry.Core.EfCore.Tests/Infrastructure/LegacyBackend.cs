using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>The host's own <see cref="LegacySubscriber"/> with the ritual as shadow properties; the host inserts rows.</summary>
public abstract class LegacyBackend(DatabaseEngine engine) : EfBackend<LegacyBotContext, LegacySubscriber>(engine)
{
    public override bool CanCreate => false;

    protected override void AddStore(VipEntryBuilder builder) => builder.AddEntityFrameworkCoreStore<LegacyBotContext, LegacySubscriber>();

    // The host's ordinary SaveChanges, touching no ritual column: the column default puts the row at stage 1.
    public override async Task SeedHostRowAsync(IServiceProvider services, long subscriberId, DateTimeOffset subscriptionEndsAt)
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<LegacyBotContext>();
        context.Add(new LegacySubscriber { UserId = subscriberId, Username = $"member{subscriberId}", ExpiresAt = subscriptionEndsAt });
        await context.SaveChangesAsync();
    }
}
