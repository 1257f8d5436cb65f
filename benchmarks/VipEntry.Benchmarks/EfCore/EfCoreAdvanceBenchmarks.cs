using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Benchmarks.EfCore;

/// <summary>
/// The EF Core store's advance compare-and-set (<c>TryAdvanceAsync</c>, one <c>ExecuteUpdate</c>) against its physical
/// floor: the same single-row conditional <c>UPDATE</c>, prepared once, on the same open SQLite connection.
/// </summary>
/// <remarks>
/// Why the comparison is fair: every measured call, on either side, is exactly one successful 1 → 2 compare-and-set on a
/// distinct row (ids 1 … <see cref="Moves"/>), committed on the same connection, file and pragmas; the reset of all rows
/// to stage 1 runs in <c>IterationSetup</c>, outside the measurement, and a failed compare-and-set fails the run.
/// So the two sides write the same rows and the same pages; what differs is only how the statement is produced.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(Moves)]
public class EfCoreAdvanceBenchmarks
{
    /// <summary>Compare-and-sets per iteration (each on its own row, all below <see cref="SqliteBenchmarkDatabase.Subscribers"/>).</summary>
    public const int Moves = 2_000;

    private const string AdvanceSql =
        $"UPDATE {SqliteBenchmarkDatabase.Table} SET vip_entry_stage = @to WHERE user_id = @id AND vip_entry_stage = @from AND expires_at > @now";

    private const string ResetSql = $"UPDATE {SqliteBenchmarkDatabase.Table} SET vip_entry_stage = 1";

    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private SqliteBenchmarkDatabase _db = null!;
    private AsyncServiceScope _scope;
    private IVipEntryStore _store = null!;
    private SqliteCommand _advance = null!;
    private SqliteCommand _reset = null!;
    private long _next;
    private int _misses;

    /// <summary><c>NORMAL</c>: commits reach the WAL without fsync (the usual WAL setting). <c>FULL</c>: SQLite's default, an fsync per commit.</summary>
    [Params("NORMAL", "FULL")]
    public string Synchronous { get; set; } = "NORMAL";

    [GlobalSetup]
    public void Setup()
    {
        var endsAt = _now.AddDays(365);
        _db = new SqliteBenchmarkDatabase(Synchronous, _ => (1, endsAt));
        _scope = _db.Services.CreateAsyncScope();
        _store = _scope.ServiceProvider.GetRequiredService<IVipEntryStore>();
        _advance = _db.Command(AdvanceSql, "@to", "@id", "@from", "@now");
        _advance.Parameters[0].Value = 2;
        _advance.Parameters[2].Value = 1;
        _advance.Parameters[3].Value = SqliteBenchmarkDatabase.Stored(_now);
        _reset = _db.Command(ResetSql);
    }

    [IterationSetup]
    public void ResetRows()
    {
        _reset.ExecuteNonQuery();
        _next = 0;
    }

    /// <summary>Baseline: the conditional UPDATE as a prepared <c>SqliteCommand</c> (async, like the store's call).</summary>
    [Benchmark(Baseline = true)]
    public async Task<bool> RawConditionalUpdate()
    {
        _advance.Parameters[1].Value = ++_next;
        return Check(await _advance.ExecuteNonQueryAsync() == 1);
    }

    /// <summary>The EF Core store's compare-and-set, resolved from DI as the engine gets it.</summary>
    [Benchmark]
    public async Task<bool> EfStoreTryAdvance() =>
        Check(await _store.TryAdvanceAsync(++_next, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, _now));

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _advance.Dispose();
        _reset.Dispose();
        await _scope.DisposeAsync();
        _db.Dispose();
        if (_misses > 0)
        {
            throw new InvalidOperationException($"{_misses} compare-and-sets did not change a row: the two sides did unequal work.");
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
