using System.Data.Common;
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
/// Fair for the same reason as <see cref="EfCoreTransitionBenchmarks"/>: every measured call is one successful 1 → 2
/// compare-and-set on a distinct row, the reset runs in <c>IterationSetup</c>, and a call that does not advance fails the
/// run. On success the machine issues exactly that one statement (then logs, counts and notifies observers: none here).
/// <c>ScopePerCall</c> adds what a host pays per update: a DI scope, a <see cref="BenchmarkDbContext"/> and the scoped
/// engine (the connection stays open, so opening it is not measured); <c>Pooled</c> takes the context from EF's context
/// pool (<c>AddDbContextPool</c>) instead of constructing it.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(Moves)]
public class EfCoreStateMachineBenchmarks
{
    /// <summary>Advances per iteration (each on its own row).</summary>
    public const int Moves = EfCoreTransitionBenchmarks.Moves;

    private BenchmarkDatabase _db = null!;
    private AsyncServiceScope _scope;
    private IVipEntryStateMachine _machine = null!;
    private DbCommand _raw = null!;
    private DbCommand _reset = null!;
    private long _next;
    private int _misses;

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = BenchmarkDatabase.SqliteNormal;

    public static IEnumerable<string> Engines => BenchmarkDatabase.Engines;

    [GlobalSetup]
    public void Setup()
    {
        // The engine reads TimeProvider.System; the baseline binds one "now" (a clock read is nanoseconds).
        var now = DateTimeOffset.UtcNow;
        var endsAt = now.AddDays(365);
        _db = new BenchmarkDatabase(Engine, _ => (1, endsAt));
        _scope = _db.Services.CreateAsyncScope();
        _machine = _scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
        _reset = _db.Command($"UPDATE {BenchmarkDatabase.Table} SET vip_entry_stage = 1, vip_entry_stage_entered_at = NULL, vip_entry_stage_nudged_at = NULL");
        _raw = _db.Command(
            $"UPDATE {BenchmarkDatabase.Table} SET vip_entry_stage = @to, vip_entry_stage_entered_at = @now, vip_entry_stage_nudged_at = NULL " +
            "WHERE user_id = @id AND CASE WHEN vip_entry_stage = @from AND expires_at > @now THEN 1 ELSE 0 END = 1",
            ("@to", 2), ("@now", BenchmarkDatabase.Stored(now)), ("@id", 0L), ("@from", 1));
    }

    [IterationSetup]
    public void ResetRows()
    {
        _reset.ExecuteNonQuery();
        _db.Analyze();
        _next = 0;
    }

    /// <summary>Baseline: the advance's UPDATE as a prepared command.</summary>
    [Benchmark(Baseline = true)]
    public async Task<bool> Raw()
    {
        _raw.Parameters[2].Value = ++_next;
        return Check(await _raw.ExecuteNonQueryAsync() == 1);
    }

    /// <summary>The engine's advance, resolved once from a long-lived scope.</summary>
    [Benchmark]
    public async Task<bool> Advance() =>
        Check((await _machine.AdvanceAsync(++_next, VipEntryStage.ActivationConfirmation)).Outcome == VipEntryOutcome.Advanced);

    /// <summary>The engine's advance as a host calls it per update: new scope, new context, new engine.</summary>
    [Benchmark]
    public Task<bool> ScopePerCall() => InNewScope(_db.Services);

    /// <summary>The same with the context from EF's pool.</summary>
    [Benchmark]
    public Task<bool> ScopePerCallPooled() => InNewScope(_db.PooledServices);

    /// <summary>
    /// What is left per update beyond the statement with a pooled context: a DI scope, the leased context (returned and
    /// reset on dispose), the engine and its stores resolved — no statement. Against <see cref="Raw"/> it reads as the
    /// share of the statement's time a host pays per update for the scope.
    /// </summary>
    [Benchmark]
    public async Task<bool> PooledScopeOnly()
    {
        await using var scope = _db.PooledServices.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>() is not null;
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _raw.Dispose();
        _reset.Dispose();
        await _scope.DisposeAsync();
        _db.Dispose();
        if (_misses > 0)
        {
            throw new InvalidOperationException($"{_misses} advances did not change a row: the two sides did unequal work.");
        }
    }

    private async Task<bool> InNewScope(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var machine = scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
        return Check((await machine.AdvanceAsync(++_next, VipEntryStage.ActivationConfirmation)).Outcome == VipEntryOutcome.Advanced);
    }

    private bool Check(bool changed)
    {
        if (!changed)
        {
            _misses++;
        }

        return changed;
    }
}
