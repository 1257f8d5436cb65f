using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Load.Logging;
using VipEntry.Load.Timing;
using VipEntry.Load.Workers;

namespace VipEntry.Load.Coordination;

/// <summary>
/// Enrolls every subscriber (bulk activation) with an end a few seconds to a few minutes ahead, and logs each as a <c>Seed</c>
/// op; then puts some of them inside the model chat, completed (logged as <c>Skip</c> and <c>Join</c> ops of mode <c>seed</c>).
/// </summary>
public static class Seeder
{
    public static async Task<string?> SeedAsync(IServiceProvider provider, JsonlLog log, ScaledTimeProvider clock, int count, double seconds, int seed)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(clock);
        var random = new Random(seed);
        var now = clock.GetUtcNow();

        // About a fifth of the subscriptions end during the run on their own; the rest well after the drain. The spread is
        // real seconds (4 s to 4 × --seconds + 30 s) turned into virtual time, so the lapses fall over the run at any scale.
        var min = clock.VirtualSeconds(4);
        var max = clock.VirtualSeconds((seconds * 4) + 30);
        var activations = Enumerable.Range(0, count)
            .Select(i => new VipEntryActivation(SubscriberIds.Of(i), new DateTimeOffset(SubscriberIds.EndTicks(random, now, min, max), TimeSpan.Zero)))
            .ToList();
        var started = clock.GetUtcNow().UtcTicks;
        await using var scope = provider.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>().ActivateManyAsync(activations).ConfigureAwait(false);
        var ended = clock.GetUtcNow().UtcTicks;
        var seq = 1_000_000_000L; // above the numbers the seed's OpRunner gives its own operations
        foreach (var activation in activations)
        {
            seq++;
            log.Write(new LogLine { Kind = "intent", Seq = seq, Ticks = started, Op = "Seed", Subscriber = activation.SubscriberId, End = activation.SubscriptionEndsAt.UtcTicks });
            log.Write(new LogLine { Kind = "result", Seq = seq, Ticks = ended, Op = "Seed", Subscriber = activation.SubscriberId, Outcome = nameof(VipEntryOutcome.Started), Stage = 1 });
        }

        if (result.Count(VipEntryOutcome.Started) != count)
        {
            return $"seeding started {result.Count(VipEntryOutcome.Started)} of {count} subscribers";
        }

        // Members already inside the chat when the run starts (as on a bot that adopts the library): half the hot set and
        // every 50th other subscriber are given complimentary access (an admin's skip) and join, reported to the engine.
        var ops = provider.GetRequiredService<OpRunner>();
        var inside = Enumerable.Range(0, count).Where(i => i < 100 || i % 50 == 0).Select(SubscriberIds.Of).ToList();
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(inside.Select(async id =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                await ops.RunAsync(new LogLine { Op = "Skip", Mode = "seed", Subscriber = id }, m => m.SkipAsync(id, "load", "already inside").AsTask(), OpRunner.Describe).ConfigureAwait(false);
                await ChannelOps.JoinAsync(ops, id, "seed").ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        // Each reported join is due at once (the worker checks the entitlement); settle them before the load, so the run
        // starts from a steady chat, not from a backlog every worker's first cycle would spend the run on.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while ((await ChannelOps.CycleAsync(ops, "seed").ConfigureAwait(false))?.Report is { } r && r.Failed + r.Removed + r.BansLifted + r.LinksRevoked + r.LapsesConfirmed > 0)
            {
            }
        })).ConfigureAwait(false);
        return null;
    }
}
