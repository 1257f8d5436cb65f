using System.Reflection;
using System.Runtime.CompilerServices;
using VipEntry.Core.Engine;

namespace VipEntry.Core.Telegram.Tests.Stars;

/// <summary>The real engine behind a proxy whose next <c>ActivateAsync</c> throws while the switch is set (the ritual's store failed while a payment was applied).</summary>
public class FailingEngine : DispatchProxy
{
    private IVipEntryStateMachine _inner = null!;
    private StrongBox<bool> _failNext = null!;

    public static IVipEntryStateMachine Wrap(IVipEntryStateMachine inner, StrongBox<bool> failNextActivation)
    {
        var proxy = Create<IVipEntryStateMachine, FailingEngine>();
        var engine = (FailingEngine)(object)proxy;
        engine._inner = inner;
        engine._failNext = failNextActivation;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IVipEntryStateMachine.ActivateAsync))
        {
            lock (_failNext)
            {
                if (_failNext.Value)
                {
                    _failNext.Value = false;
                    throw new InvalidOperationException("The ritual's database is down (ActivateAsync).");
                }
            }
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }
}
