using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
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
[InvocationCount(EfCoreAdvanceBenchmarks.Moves)]
public class EfCoreStateMachineBenchmarks
{
    private const string AdvanceSql =
        $"UPDATE {SqliteBenchmarkDatabase.Table} SET vip_entry_stage = @to WHERE user_id = @id AND vip_entry_stage = @from AND expires_at > @now";

    private const string ResetSql = $"UPDATE {SqliteBenchmarkDatabase.Table} SET vip_entry_stage = 1";

    private SqliteBenchmarkDatabase _db = null!;
    private AsyncServiceScope _scope;
    private IVipEntryStateMachine _machine = null!;
    private SqliteCommand _advance = null!;
    private SqliteCommand _reset = null!;
    private long _next;
    private int _misses;

    [GlobalSetup]
    public void Setup()
    {
        // The engine reads TimeProvider.System; the baseline binds the same "now" once (a clock read is nanoseconds).
        var now = DateTimeOffset.UtcNow;
        var endsAt = now.AddDays(365);
        _db = new SqliteBenchmarkDatabase("NORMAL", _ => (1, endsAt));
        _scope = _db.Services.CreateAsyncScope();
        _machine = _scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
        _advance = _db.Command(AdvanceSql, "@to", "@id", "@from", "@now");
        _advance.Parameters[0].Value = 2;
        _advance.Parameters[2].Value = 1;
        _advance.Parameters[3].Value = SqliteBenchmarkDatabase.Stored(now);
        _reset = _db.Command(ResetSql);
    }

    [IterationSetup]
    public void ResetRows()
    {
        _reset.ExecuteNonQuery();
        _next = 0;
    }

    /// <summary>Baseline: the conditional UPDATE as a prepared <c>SqliteCommand</c>.</summary>
    [Benchmark(Baseline = true)]
    public async Task<bool> RawConditionalUpdate()
    {
        _advance.Parameters[1].Value = ++_next;
        return Check(await _advance.ExecuteNonQueryAsync() == 1);
    }

    /// <summary>The engine's advance, resolved once from a long-lived scope.</summary>
    [Benchmark]
    public async Task<bool> StateMachineAdvance() =>
        Check((await _machine.AdvanceAsync(++_next, VipEntryStage.ActivationConfirmation)).Outcome == VipEntryOutcome.Advanced);

    /// <summary>The engine's advance as a host calls it per update: new scope, new context, new engine.</summary>
    [Benchmark]
    public async Task<bool> StateMachineAdvanceScopePerCall()
    {
        await using var scope = _db.Services.CreateAsyncScope();
        var machine = scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
        return Check((await machine.AdvanceAsync(++_next, VipEntryStage.ActivationConfirmation)).Outcome == VipEntryOutcome.Advanced);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _advance.Dispose();
        _reset.Dispose();
        await _scope.DisposeAsync();
        _db.Dispose();
        if (_misses > 0)
        {
            throw new InvalidOperationException($"{_misses} advances did not change a row: the sides did unequal work.");
        }
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
