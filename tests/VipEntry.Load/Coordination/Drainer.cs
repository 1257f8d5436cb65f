using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.EfCore;
using VipEntry.Load.Logging;
using VipEntry.Load.Storage;
using VipEntry.Load.Timing;
using VipEntry.Load.Workers;

namespace VipEntry.Load.Coordination;

/// <summary>
/// After the workers stop: sweeps and confirms (never dropping, a few sweepers at once) until, once every dropped claim's
/// lease has run out, the database owes nothing (no ended subscription without a confirmed lapse). Returns the (virtual)
/// instant that was true at, or 0 when the (real) timeout came first.
/// </summary>
public static class Drainer
{
    private const int Sweepers = 4;

    public static async Task<long> DrainAsync(IServiceProvider provider, OpRunner ops, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(ops);
        var clock = provider.GetRequiredService<ScaledTimeProvider>();
        var deadline = clock.GetRealUtcNow() + timeout;
        while (clock.GetRealUtcNow() < deadline)
        {
            await Task.WhenAll(Enumerable.Range(0, Sweepers).Select(_ => SweepUntilEmptyAsync(ops, clock, deadline))).ConfigureAwait(false);
            var now = clock.GetUtcNow();
            if (await OwedAsync(provider, now).ConfigureAwait(false) == 0)
            {
                return now.UtcTicks;
            }

            // Claims dropped by "crashing" workers are handed out again once their lease runs out.
            await Task.Delay(200).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task SweepUntilEmptyAsync(OpRunner ops, ScaledTimeProvider clock, DateTimeOffset realDeadline)
    {
        while (clock.GetRealUtcNow() < realDeadline)
        {
            var swept = await ops.RunAsync(
                new LogLine { Op = "Sweep", Mode = "drain" },
                m => m.SweepAsync().AsTask(),
                (line, r) =>
                {
                    line.Outcome = "Swept";
                    line.Claims = [.. r.Lapses.Select(l => LapseClaims.Record(l, dropped: false))];
                }).ConfigureAwait(false);
            if (swept is null || swept.Lapses.Count == 0)
            {
                return;
            }

            foreach (var lapse in swept.Lapses)
            {
                await LapseClaims.ConfirmAsync(ops, lapse).ConfigureAwait(false);
            }
        }
    }

    public static async Task<int> OwedAsync(IServiceProvider provider, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(provider);
        await using var scope = provider.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<LoadDbContext>().Set<VipEntrySubscriber>().AsNoTracking().ToListAsync().ConfigureAwait(false);
        return rows.Count(r => r.ExpiresAt <= now && r.VipEntryLapseHandledAt is null);
    }
}
