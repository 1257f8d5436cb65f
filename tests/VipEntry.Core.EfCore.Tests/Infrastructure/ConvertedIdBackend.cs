using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>The host entity of <see cref="ConvertedIdBotContext"/> (an id with a value converter to text); the host inserts rows.</summary>
public abstract class ConvertedIdBackend(DatabaseEngine engine) : EfBackend<ConvertedIdBotContext, LegacySubscriber>(engine)
{
    public override bool CanCreate => false;

    protected override void AddStore(VipEntryBuilder builder) => builder.AddEntityFrameworkCoreStore<ConvertedIdBotContext, LegacySubscriber>();

    // The host's ordinary SaveChanges, touching no ritual column: the column default puts the row at stage 1.
    public override async Task SeedHostRowAsync(IServiceProvider services, long subscriberId, DateTimeOffset subscriptionEndsAt)
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<ConvertedIdBotContext>();
        context.Add(new LegacySubscriber { UserId = subscriberId, Username = $"member{subscriberId}", ExpiresAt = subscriptionEndsAt });
        await context.SaveChangesAsync();
    }
}
