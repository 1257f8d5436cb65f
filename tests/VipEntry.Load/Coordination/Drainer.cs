using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VipEntry.Core.EfCore;
using VipEntry.Core.Options;
using VipEntry.Core.Storage;
using VipEntry.Load.Storage;
using VipEntry.Load.Timing;
using VipEntry.Load.Workers;

namespace VipEntry.Load.Coordination;

/// <summary>
/// After the workers stop: first reports the model chat's truth for every change a killed process may not have reported
/// (as Telegram redelivers an update nobody acknowledged), then runs channel worker cycles (no port failures, no crashes,
/// a few at once) until, once every lease the run's processes held has run out (a lease in virtual time past the drain's
/// start), nothing is owed: no channel record due and no ended subscription without a confirmed lapse. Returns the
/// (virtual) instant that was true at, or 0 when the (real) timeout came first.
/// </summary>
public static class Drainer
{
    private const int Workers = 4;

    public static async Task<long> DrainAsync(IServiceProvider provider, OpRunner ops, TimeSpan lease, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(ops);
        var clock = provider.GetRequiredService<ScaledTimeProvider>();
        var deadline = clock.GetRealUtcNow() + timeout;
        var leasesOver = clock.GetUtcNow() + lease;
        await ChannelOps.RedeliverAsync(ops, provider).ConfigureAwait(false);
        while (clock.GetRealUtcNow() < deadline)
        {
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => CycleUntilIdleAsync(ops, clock, deadline))).ConfigureAwait(false);
            var now = clock.GetUtcNow();
            if (now > leasesOver && await OwedAsync(provider, now).ConfigureAwait(false) == 0)
            {
                return now.UtcTicks;
            }

            // Work left by killed processes (claims under a lease) and failed port calls is handed out again once the lease runs out.
            await Task.Delay(200).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task CycleUntilIdleAsync(OpRunner ops, ScaledTimeProvider clock, DateTimeOffset realDeadline)
    {
        while (clock.GetRealUtcNow() < realDeadline)
        {
            var run = await ChannelOps.CycleAsync(ops, "drain").ConfigureAwait(false);
            if (run?.Report is not { } r || (r.Removed + r.BansLifted + r.LinksRevoked + r.Failed + r.LapsesConfirmed == 0))
            {
                return;
            }
        }
    }

    /// <summary>Channel records due at <paramref name="now"/> plus ended subscriptions whose lapse is not confirmed.</summary>
    public static async Task<int> OwedAsync(IServiceProvider provider, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(provider);
        await using var scope = provider.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var rows = await services.GetRequiredService<LoadDbContext>().Set<VipEntrySubscriber>().AsNoTracking().ToListAsync().ConfigureAwait(false);
        var chat = services.GetRequiredService<IOptions<VipEntryOptions>>().Value.ChannelKey;
        var due = await services.GetRequiredService<IVipEntryChannelStore>().ListDueAsync(chat, now, 1000).ConfigureAwait(false);
        return due.Count + rows.Count(r => r.ExpiresAt <= now && r.VipEntryLapseHandledAt is null);
    }
}
