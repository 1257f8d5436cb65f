namespace VipEntry.Core.Health;

/// <summary>
/// What the hosted channel worker reports for the "channel worker" health check (issue 15): when its loop started and when
/// its last cycle completed (a cycle that threw does not count). One per process, like the hosted worker.
/// </summary>
internal sealed class VipEntryChannelHeartbeat
{
    private long _startedAtTicks = NotYet;
    private long _lastCycleTicks = NotYet;
    private int _disabled;

    private const long NotYet = long.MinValue;

    /// <summary>When the worker's loop started, or <see langword="null"/> before.</summary>
    public DateTimeOffset? StartedAt => Read(ref _startedAtTicks);

    /// <summary>When the worker's last cycle completed, or <see langword="null"/> before the first.</summary>
    public DateTimeOffset? LastCycleCompletedAt => Read(ref _lastCycleTicks);

    /// <summary>Whether the hosted worker found itself disabled (<c>Enabled = false</c>) and did not start.</summary>
    public bool IsDisabled => Volatile.Read(ref _disabled) == 1;

    public void Disabled() => Volatile.Write(ref _disabled, 1);

    public void Started(DateTimeOffset now) => Interlocked.Exchange(ref _startedAtTicks, now.UtcTicks);

    public void CycleCompleted(DateTimeOffset now) => Interlocked.Exchange(ref _lastCycleTicks, now.UtcTicks);

    private static DateTimeOffset? Read(ref long ticks)
    {
        var value = Interlocked.Read(ref ticks);
        return value == NotYet ? null : new DateTimeOffset(value, TimeSpan.Zero);
    }
}
