using VipEntry.Core.DependencyInjection;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>The ready-made <see cref="VipEntrySubscriber"/> entity; the store inserts rows itself.</summary>
public abstract class ReadyMadeBackend(DatabaseEngine engine) : EfBackend<ReadyMadeContext, VipEntrySubscriber>(engine)
{
    public override bool CanCreate => true;

    protected override void AddStore(VipEntryBuilder builder) => builder.AddEntityFrameworkCoreStore<ReadyMadeContext>();

    public override Task SeedHostRowAsync(IServiceProvider services, long subscriberId, DateTimeOffset subscriptionEndsAt) =>
        throw new NotSupportedException("The ready-made store creates its own rows.");
}
