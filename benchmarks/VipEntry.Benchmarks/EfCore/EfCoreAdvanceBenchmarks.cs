using BenchmarkDotNet.Attributes;
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
/// distinct row (ids 1 … <see cref="AdvanceBenchmarkBase.Moves"/>), committed on the same connection, file and pragmas; the
/// reset of all rows to stage 1 runs in <c>IterationSetup</c>, outside the measurement, and a failed compare-and-set fails
/// the run. So the two sides write the same rows and the same pages; what differs is only how the statement is produced.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(Moves)]
public class EfCoreAdvanceBenchmarks : AdvanceBenchmarkBase
{
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private IVipEntryStore _store = null!;

    /// <summary><c>NORMAL</c>: commits reach the WAL without fsync (the usual WAL setting). <c>FULL</c>: SQLite's default, an fsync per commit.</summary>
    [Params("NORMAL", "FULL")]
    public string Synchronous { get; set; } = "NORMAL";

    [GlobalSetup]
    public void Setup()
    {
        SetUp(Synchronous, _now);
        _store = Scope.ServiceProvider.GetRequiredService<IVipEntryStore>();
    }

    /// <summary>The EF Core store's compare-and-set, resolved from DI as the engine gets it.</summary>
    [Benchmark]
    public async Task<bool> EfStoreTryAdvance() =>
        Check(await _store.TryAdvanceAsync(++Next, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, _now));
}
