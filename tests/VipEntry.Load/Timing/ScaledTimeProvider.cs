namespace VipEntry.Load.Timing;

/// <summary>
/// The run's shared virtual clock: <c>virtual(now) = epoch + (realNow − epoch) × scale</c>. The coordinator fixes the epoch
/// (its real time at start) and hands it to every worker on the command line, so every process computes the same virtual
/// time. Everything stored or logged (subscription ends, grant issue and expiry, leases, the log ticks, the checker's
/// comparisons) is virtual; what the tool waits for (run length, kill interval, the go file, the drain timeout,
/// <see cref="Task.Delay(TimeSpan)"/>) stays real, read with <see cref="GetRealUtcNow"/>.
/// With a scale above 1 the engine's minimum lifetimes (a link lives at least a minute) pass within a short run.
/// </summary>
/// <remarks>
/// Only <see cref="GetUtcNow"/> is scaled: the engine reads nothing else of its <see cref="TimeProvider"/> (no timers),
/// and timestamps and timers stay the system's (real), as the tool's waits are.
/// </remarks>
public sealed class ScaledTimeProvider : TimeProvider
{
    public ScaledTimeProvider(long epochTicks, double scale)
    {
        if (!double.IsFinite(scale) || scale <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The time scale must be positive.");
        }

        EpochTicks = epochTicks;
        Scale = scale;
    }

    /// <summary>The real instant (UTC ticks) at which virtual and real time coincide.</summary>
    public long EpochTicks { get; }

    /// <summary>Virtual seconds per real second.</summary>
    public double Scale { get; }

    public override DateTimeOffset GetUtcNow() => ToVirtual(GetRealUtcNow());

    /// <summary>The real time, for the tool's own deadlines and waits.</summary>
#pragma warning disable CA1822 // an instance member on purpose: every read of time goes through the run's clock
    public DateTimeOffset GetRealUtcNow() => TimeProvider.System.GetUtcNow();
#pragma warning restore CA1822

    /// <summary>The virtual instant of a real one.</summary>
    public DateTimeOffset ToVirtual(DateTimeOffset real)
    {
        var elapsed = real.UtcTicks - EpochTicks;
        var ticks = Scale == 1 ? real.UtcTicks : EpochTicks + (long)Math.Round(elapsed * Scale);
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>A real duration as virtual time (e.g. a spread of subscription ends meant to fall within the real run).</summary>
    public TimeSpan ToVirtual(TimeSpan real) => TimeSpan.FromTicks((long)Math.Round(real.Ticks * Scale));

    /// <summary>Seconds of real time as virtual seconds.</summary>
    public double VirtualSeconds(double realSeconds) => realSeconds * Scale;
}
