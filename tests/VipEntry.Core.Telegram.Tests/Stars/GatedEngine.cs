using System.Reflection;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;

namespace VipEntry.Core.Telegram.Tests.Stars;

/// <summary>The real engine behind a proxy whose <c>ActivateAsync</c> waits at a gate (an activation that takes long while something else happens).</summary>
public class GatedEngine : DispatchProxy
{
    private IVipEntryStateMachine _inner = null!;
    private Gate _gate = null!;

    public static IVipEntryStateMachine Wrap(IVipEntryStateMachine inner, Gate gate)
    {
        var proxy = Create<IVipEntryStateMachine, GatedEngine>();
        var engine = (GatedEngine)(object)proxy;
        engine._inner = inner;
        engine._gate = gate;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IVipEntryStateMachine.ActivateAsync) && targetMethod.ReturnType == typeof(ValueTask<VipEntryResult>))
        {
            return new ValueTask<VipEntryResult>(ThroughTheGateAsync(targetMethod, args));
        }

        return Call(targetMethod, args);
    }

    private async Task<VipEntryResult> ThroughTheGateAsync(MethodInfo targetMethod, object?[]? args)
    {
        _gate.Entered.TrySetResult();
        await _gate.Open.Task.ConfigureAwait(false);
        return await (ValueTask<VipEntryResult>)Call(targetMethod, args)!;
    }

    private object? Call(MethodInfo targetMethod, object?[]? args)
    {
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }

    /// <summary>Where an activation waits: <see cref="Entered"/> when one arrives, it goes on when <see cref="Open"/> is set.</summary>
    public sealed class Gate
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
