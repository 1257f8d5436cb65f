using Microsoft.Extensions.Time.Testing;

namespace VipEntry.Core.Telegram.Tests.Support;

/// <summary>A fake clock that also records every timer created on it (a <c>Task.Delay</c> or a <c>PeriodicTimer</c>), so a test can see a wait begin and then end it by advancing the clock.</summary>
public sealed class RecordingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _timers = [];

    public IReadOnlyList<TimeSpan> Timers
    {
        get
        {
            lock (_gate)
            {
                return [.. _timers];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _timers.Add(dueTime);
        }

        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>Waits (30 s at most) until a timer due in <paramref name="dueTime"/> has been created.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Timers.Contains(dueTime))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No timer due in {dueTime} was created; seen: {string.Join(", ", Timers)}.");
            }

            await Task.Delay(10);
        }
    }
}
