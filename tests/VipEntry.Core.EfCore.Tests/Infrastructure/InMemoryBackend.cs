using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

public sealed class InMemoryBackend : StoreBackend
{
    public override bool CanCreate => true;

    public override bool NormalizesTimes => false;

    public override void Register(IServiceCollection services, VipEntryBuilder builder, CommandCounter? counter = null) => builder.UseInMemoryStore();

    // Each test builds its own provider, hence its own in-memory store.
    public override Task ResetAsync(IServiceProvider services) => Task.CompletedTask;

    public override Task SeedHostRowAsync(IServiceProvider services, long subscriberId, DateTimeOffset subscriptionEndsAt) =>
        throw new NotSupportedException("The in-memory store creates its own rows.");
}
