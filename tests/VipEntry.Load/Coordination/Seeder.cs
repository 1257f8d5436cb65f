using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Load.Logging;
using VipEntry.Load.Timing;
using VipEntry.Load.Workers;

namespace VipEntry.Load.Coordination;

/// <summary>Enrolls every subscriber (bulk activation) with an end a few seconds to a few minutes ahead, and logs each as a <c>Seed</c> op.</summary>
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
        var seq = 0L;
        foreach (var activation in activations)
        {
            seq++;
            log.Write(new LogLine { Kind = "intent", Seq = seq, Ticks = started, Op = "Seed", Subscriber = activation.SubscriberId, End = activation.SubscriptionEndsAt.UtcTicks });
            log.Write(new LogLine { Kind = "result", Seq = seq, Ticks = ended, Op = "Seed", Subscriber = activation.SubscriberId, Outcome = nameof(VipEntryOutcome.Started), Stage = 1 });
        }

        return result.Count(VipEntryOutcome.Started) == count ? null : $"seeding started {result.Count(VipEntryOutcome.Started)} of {count} subscribers";
    }
}
