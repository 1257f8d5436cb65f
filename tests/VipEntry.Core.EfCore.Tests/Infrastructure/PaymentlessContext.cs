using Microsoft.EntityFrameworkCore;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>A context that maps the ritual but drops VipEntry's payments table from its model (issue 17).</summary>
public sealed class PaymentlessContext(DbContextOptions<PaymentlessContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddVipEntrySubscribers();
        modelBuilder.Ignore<VipEntryPaymentEntity>();
    }
}
