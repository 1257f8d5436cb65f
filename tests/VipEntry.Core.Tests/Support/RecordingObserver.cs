using System.Collections.Concurrent;
using VipEntry.Core.Diagnostics;

namespace VipEntry.Core.Tests.Support;

/// <summary>Collects transitions; shared through <see cref="Sink"/> because observers are scoped.</summary>
public sealed class RecordingObserver(TransitionSink sink) : IVipEntryObserver
{
    public ValueTask OnTransitionAsync(VipEntryTransitionEvent transition, CancellationToken cancellationToken = default)
    {
        sink.Events.Enqueue(transition);
        return ValueTask.CompletedTask;
    }
}

public sealed class TransitionSink
{
    public ConcurrentQueue<VipEntryTransitionEvent> Events { get; } = new();
}

public sealed class ThrowingObserver : IVipEntryObserver
{
    public ValueTask OnTransitionAsync(VipEntryTransitionEvent transition, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("observer is broken");
}
