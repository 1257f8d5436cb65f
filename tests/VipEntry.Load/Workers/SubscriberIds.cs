namespace VipEntry.Load.Workers;

/// <summary>The run's subscriber ids: <c>Base + 1 … Base + count</c>; the first few hundred are "hot" so processes race on them.</summary>
public static class SubscriberIds
{
    public const long Base = 1_000_000;

    /// <summary>People who never pay and join by other means (intruders): 100 of them, far from the subscribers.</summary>
    public const long StrangerBase = 9_000_000;

    public static long Of(int index) => Base + 1 + index;

    public static long Stranger(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return StrangerBase + 1 + random.Next(100);
    }

    public static long Pick(Random random, int count)
    {
        ArgumentNullException.ThrowIfNull(random);
        var hot = Math.Min(count, 200);
        return random.NextDouble() < 0.3 ? Of(random.Next(hot)) : Of(random.Next(count));
    }

    /// <summary>A subscription end a few seconds to a minute ahead, never on a whole second (nor a whole microsecond).</summary>
    public static long EndTicks(Random random, DateTimeOffset now, double minSeconds, double maxSeconds)
    {
        ArgumentNullException.ThrowIfNull(random);
        var ticks = now.UtcTicks + (long)((minSeconds + (random.NextDouble() * (maxSeconds - minSeconds))) * TimeSpan.TicksPerSecond);
        ticks += random.Next(1, 9) + (random.Next(1, 999) * TimeSpan.TicksPerMicrosecond);
        return ticks % TimeSpan.TicksPerSecond == 0 ? ticks + 1_234_567 : ticks;
    }
}
