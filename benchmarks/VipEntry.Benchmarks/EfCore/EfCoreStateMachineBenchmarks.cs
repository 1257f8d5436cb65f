using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;

namespace VipEntry.Benchmarks.EfCore;

/// <summary>
/// A member's stage-1 button press, end to end (<see cref="IVipEntryStateMachine.AdvanceAsync"/> on the EF Core store,
/// resolved through DI) against the physical floor: the one conditional <c>UPDATE</c> it boils down to, prepared, on
/// the same open connection.
/// </summary>
/// <remarks>
/// Fair for the same reason as <see cref="EfCoreAdvanceBenchmarks"/>: every measured call is one successful 1 → 2
/// compare-and-set on a distinct row, the reset runs in <c>IterationSetup</c>, and a call that does not advance fails the
/// run. On success the machine issues exactly that one statement (then logs, counts and notifies observers: none here).
/// <c>ScopePerCall</c> adds what a host pays per update: a DI scope, a <see cref="BenchmarkDbContext"/> and the scoped
/// engine (the connection stays open, so opening it is not measured). SQLite runs with <c>synchronous=NORMAL</c>, so the
/// fsync floor (see the <c>FULL</c> rows of <see cref="EfCoreAdvanceBenchmarks"/>) does not hide the overhead.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(Moves)]
public class EfCoreStateMachineBenchmarks : AdvanceBenchmarkBase
{
    private IVipEntryStateMachine _machine = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The engine reads TimeProvider.System; the baseline binds the same "now" once (a clock read is nanoseconds).
        SetUp("NORMAL", DateTimeOffset.UtcNow);
        _machine = Scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
    }

    /// <summary>The engine's advance, resolved once from a long-lived scope.</summary>
    [Benchmark]
    public async Task<bool> StateMachineAdvance() =>
        Check((await _machine.AdvanceAsync(++Next, VipEntryStage.ActivationConfirmation)).Outcome == VipEntryOutcome.Advanced);

    /// <summary>The engine's advance as a host calls it per update: new scope, new context, new engine.</summary>
    [Benchmark]
    public async Task<bool> StateMachineAdvanceScopePerCall()
    {
        await using var scope = Db.Services.CreateAsyncScope();
        var machine = scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
        return Check((await machine.AdvanceAsync(++Next, VipEntryStage.ActivationConfirmation)).Outcome == VipEntryOutcome.Advanced);
    }
}
