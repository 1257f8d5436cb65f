using BenchmarkDotNet.Attributes;
using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Benchmarks.EfCore;

/// <summary>
/// The funnel (<c>CountByStageAsync</c>: one <c>GROUP BY</c> over active subscribers) against the same
/// <c>SELECT vip_entry_stage, COUNT(*) … GROUP BY</c> as a prepared raw command, on 10,000 rows spread over every stage
/// with one in ten lapsed.
/// </summary>
/// <remarks>
/// Fair: both sides run the same query on the same data and connection and build the same stage → count dictionary;
/// reads change nothing, so no reset is needed. The setup checks that both return the same counts.
/// </remarks>
[MemoryDiagnoser]
public class EfCoreFunnelBenchmarks
{
    private const string FunnelSql =
        $"SELECT vip_entry_stage, COUNT(*) FROM {BenchmarkDatabase.Table} WHERE expires_at > @now GROUP BY vip_entry_stage";

    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private BenchmarkDatabase _db = null!;
    private AsyncServiceScope _scope;
    private IVipEntryStore _store = null!;
    private DbCommand _funnel = null!;

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = BenchmarkDatabase.SqliteNormal;

    public static IEnumerable<string> Engines => BenchmarkDatabase.Engines;

    [GlobalSetup]
    public void Setup()
    {
        _db = new BenchmarkDatabase(Engine, id => (
            (id % 4) switch { 0 => null, var s => (int)s },
            id % 10 == 0 ? _now.AddDays(-1) : _now.AddDays(30)));
        _scope = _db.Services.CreateAsyncScope();
        _store = _scope.ServiceProvider.GetRequiredService<IVipEntryStore>();
        _funnel = _db.Command(FunnelSql, ("@now", BenchmarkDatabase.Stored(_now)));

        var ef = CountByStage().AsTask().GetAwaiter().GetResult();
        var raw = RawGroupBy().GetAwaiter().GetResult();
        if (ef.Count != 4 || ef.Values.Sum() != 9_000 || !ef.All(p => raw.TryGetValue(p.Key, out var n) && n == p.Value))
        {
            throw new InvalidOperationException("The EF funnel and the raw GROUP BY disagree.");
        }
    }

    /// <summary>Baseline: the GROUP BY as a prepared <c>SqliteCommand</c>, read into a dictionary.</summary>
    [Benchmark(Baseline = true)]
    public async Task<Dictionary<VipEntryStage, int>> RawGroupBy()
    {
        var counts = new Dictionary<VipEntryStage, int>();
        await using var reader = await _funnel.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var stage = reader.IsDBNull(0) ? VipEntryStage.Completed : (VipEntryStage)reader.GetInt32(0);
            counts[stage] = Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        }

        return counts;
    }

    /// <summary>The EF Core store's funnel query.</summary>
    [Benchmark]
    public ValueTask<IReadOnlyDictionary<VipEntryStage, int>> CountByStage() => _store.CountByStageAsync(_now);

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _funnel.Dispose();
        await _scope.DisposeAsync();
        _db.Dispose();
    }
}
