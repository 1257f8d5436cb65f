using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>
/// The ready-made store whose payment store runs the batch claims every provider has (a bounded read, then a
/// compare-and-set per row), as it does on a provider other than SQLite and PostgreSQL (issue 17).
/// </summary>
public abstract class PortableClaimsBackend(DatabaseEngine engine) : ReadyMadeBackend(engine)
{
    protected override void AddStore(VipEntryBuilder builder)
    {
        builder.Services.AddScoped<IVipEntryPaymentStore>(sp => new EfCoreVipEntryPaymentStore<ReadyMadeContext>(sp.GetRequiredService<ReadyMadeContext>(), portableClaims: true));
        base.AddStore(builder);
    }
}
