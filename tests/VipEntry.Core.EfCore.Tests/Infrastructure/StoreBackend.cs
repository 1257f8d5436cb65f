using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>A store under test, shared by the tests of one class (one database per class).</summary>
public abstract class StoreBackend : IAsyncLifetime
{
    /// <summary>Whether the store inserts new subscribers itself (false: the host owns the rows).</summary>
    public abstract bool CanCreate { get; }

    /// <summary>Whether stored times come back with offset zero and microsecond precision (database stores).</summary>
    public abstract bool NormalizesTimes { get; }

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Skips or fails the test when the backend cannot run here.</summary>
    public virtual Task RequireAsync() => Task.CompletedTask;

    /// <summary>Opens what a racer needs before the start gate (its own connection), so the race is on the statements.</summary>
    public virtual Task WarmUpAsync(IServiceProvider scope) => Task.CompletedTask;

    /// <summary>Closes idle pooled connections (after a race opened many).</summary>
    public virtual void ReleaseConnections()
    {
    }

    public abstract void Register(IServiceCollection services, VipEntryBuilder builder, CommandCounter? counter = null);

    /// <summary>Empties the subscriber table and the channel table (R19) before a test.</summary>
    public abstract Task ResetAsync(IServiceProvider services);

    /// <summary>Empties the payments table (issue 17) before a payment test; the in-memory store starts empty with each provider.</summary>
    public virtual Task ResetPaymentsAsync(IServiceProvider services) => Task.CompletedTask;

    /// <summary>Inserts a subscriber the way the host would (for host-owned tables).</summary>
    public abstract Task SeedHostRowAsync(IServiceProvider services, long subscriberId, DateTimeOffset subscriptionEndsAt);
}
