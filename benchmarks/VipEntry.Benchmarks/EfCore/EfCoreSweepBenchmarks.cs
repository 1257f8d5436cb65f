using System.Data.Common;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Storage;

namespace VipEntry.Benchmarks.EfCore;

/// <summary>
/// The sweep's claim of <see cref="Lapsed"/> lapsed rows (bounded batches of <see cref="Batch"/> oldest-first candidates
/// from <c>ListClaimableLapsesAsync</c>, each claimed by <c>TryClaimLapseAsync</c>, as the sweep did before issue 16;
/// <see cref="ClaimAllLapsesInBatches"/>: a batch per statement by <c>ClaimLapsesAsync</c>, as the sweep does now) on a
/// table of <see cref="Rows"/> subscribers. Its cost must follow the lapsed rows, not the table: compare the 1,000,000-row mean
/// with the 100,000-row mean of the same engine (target ≤ 1.5×).
/// </summary>
/// <remarks>
/// Every table holds exactly <see cref="Lapsed"/> claimable rows (ended, no lapse record); the rest are active or
/// already handled. <c>IterationSetup</c> (unmeasured) releases the claims, so every invocation claims the same rows.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(LongRunConfig))]
public class EfCoreSweepBenchmarks
{
    public const int Lapsed = 10_000;
    public const int Batch = 500;

    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private BenchmarkDatabase _db = null!;
    private DbCommand _release = null!;

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = BenchmarkDatabase.SqliteNormal;

    [Params(100_000, 1_000_000)]
    public int Rows { get; set; }

    public static IEnumerable<string> Engines => BenchmarkDatabase.Engines;

    [GlobalSetup]
    public void Setup()
    {
        // One row in Rows / Lapsed (a multiple of 10) has ended without a lapse record: the claimable ones. One in ten
        // ended long ago and was handled (a mature bot's history); the rest are active.
        var every = Rows / Lapsed;
        var now = _now;
        _db = new BenchmarkDatabase(
            Engine,
            id => (id % 4 == 0 ? 1 : null, id % every == 0 || id % 10 == 1 ? now.AddDays(-1 - (id % 300)) : now.AddDays(30 + (id % 300))),
            Rows);
        _ = _db.Scalar($"UPDATE {BenchmarkDatabase.Table} SET vip_entry_lapse_handled_at = expires_at WHERE user_id % 10 = 1");
        _ = _db.Scalar(_db.IsPostgres ? $"VACUUM ANALYZE {BenchmarkDatabase.Table}" : "ANALYZE");
        _release = _db.Command($"UPDATE {BenchmarkDatabase.Table} SET vip_entry_lapse_claim = NULL, vip_entry_lapse_lease_until = NULL WHERE vip_entry_lapse_claim IS NOT NULL");
    }

    [IterationSetup]
    public void Release() => _release.ExecuteNonQuery();

    /// <summary>Claims every lapsed row, batch by batch, through the EF Core store.</summary>
    [Benchmark]
    public async Task<int> ClaimAllLapses()
    {
        await using var scope = _db.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IVipEntryStore>();
        var claimed = 0;
        while (true)
        {
            var batch = await store.ListClaimableLapsesAsync(_now, Batch);
            foreach (var record in batch)
            {
                claimed += await store.TryClaimLapseAsync(record, "bench-claim", _now, _now.AddHours(1)) ? 1 : 0;
            }

            if (batch.Count < Batch)
            {
                break;
            }
        }

        return claimed == Lapsed ? claimed : throw new InvalidOperationException($"Claimed {claimed} of {Lapsed}.");
    }

    /// <summary>Claims every lapsed row through the EF Core store, one statement per batch (the sweep's claim since issue 16).</summary>
    [Benchmark]
    public async Task<int> ClaimAllLapsesInBatches()
    {
        await using var scope = _db.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IVipEntryStore>();
        var claimed = 0;
        while (true)
        {
            var batch = await store.ClaimLapsesAsync("bench-claim", "bench-reclaim", _now, _now.AddHours(1), Batch);
            claimed += batch.Count;
            if (batch.Count < Batch)
            {
                break;
            }
        }

        return claimed == Lapsed ? claimed : throw new InvalidOperationException($"Claimed {claimed} of {Lapsed}.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _release.Dispose();
        _db.Dispose();
    }
}
