using System.Data.Common;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;

namespace VipEntry.Benchmarks.EfCore;

/// <summary>
/// Importing <see cref="Members"/> new subscribers with <see cref="IVipEntryStateMachine.ActivateManyAsync"/> against the
/// hand-written set-based floor: the same rows inserted by one prepared multi-row <c>INSERT … ON CONFLICT DO NOTHING</c>
/// per batch of <see cref="Batch"/> (the batch size the engine uses), autocommitted like the engine's statements.
/// </summary>
/// <remarks>
/// Fair: both sides start from an empty table (<c>IterationSetup</c>, unmeasured), end with the same
/// <see cref="Members"/> rows at stage 1, and each invocation is checked. The engine also reads each batch first (who
/// exists decides R1 or R2), which the floor does not: that read is part of the measured price of applying the rules.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(LongRunConfig))]
public class EfCoreBulkActivationBenchmarks
{
    public const int Batch = 500;

    /// <summary>100,000, or <c>VIPENTRY_BENCH_BULK_MEMBERS</c> (a multiple of <see cref="Batch"/>, e.g. 1,000,000 for issue 16's one-million run).</summary>
    public static readonly int Members =
        int.TryParse(Environment.GetEnvironmentVariable("VIPENTRY_BENCH_BULK_MEMBERS"), System.Globalization.CultureInfo.InvariantCulture, out var members) && members > 0 && members % Batch == 0
            ? members
            : 100_000;

    private readonly DateTimeOffset _ends = DateTimeOffset.UtcNow.AddDays(30);
    private BenchmarkDatabase _db = null!;
    private DbCommand _insert = null!;
    private DbCommand _reset = null!;
    private VipEntryActivation[] _members = [];

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = BenchmarkDatabase.SqliteNormal;

    public static IEnumerable<string> Engines => BenchmarkDatabase.Engines;

    [GlobalSetup]
    public void Setup()
    {
        _db = new BenchmarkDatabase(Engine, _ => (1, DateTimeOffset.UtcNow), rows: 0);
        _members = [.. Enumerable.Range(1, Members).Select(i => new VipEntryActivation(i, _ends))];
        var sql = new StringBuilder($"INSERT INTO {BenchmarkDatabase.Table} (user_id, expires_at, vip_entry_stage) VALUES ");
        var parameters = new List<(string, object)>();
        for (var i = 0; i < Batch; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(System.Globalization.CultureInfo.InvariantCulture, $"(@i{i}, @e{i}, 1)");
            parameters.Add(($"@i{i}", 0L));
            parameters.Add(($"@e{i}", BenchmarkDatabase.Stored(_ends)));
        }

        sql.Append(" ON CONFLICT DO NOTHING");
        _insert = _db.Command(sql.ToString(), [.. parameters]);
        _reset = _db.Command($"DELETE FROM {BenchmarkDatabase.Table}");
    }

    [IterationSetup]
    public void Empty() => _reset.ExecuteNonQuery();

    /// <summary>Baseline: the rows inserted by a prepared multi-row INSERT per batch.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> RawBatchedInsert()
    {
        var inserted = 0;
        for (var start = 0; start < Members; start += Batch)
        {
            for (var i = 0; i < Batch; i++)
            {
                _insert.Parameters[2 * i].Value = _members[start + i].SubscriberId;
            }

            inserted += await _insert.ExecuteNonQueryAsync();
        }

        return inserted == Members ? inserted : throw new InvalidOperationException($"Inserted {inserted}.");
    }

    /// <summary>The engine's bulk activation (R1 for every member: all new).</summary>
    [Benchmark]
    public async Task<int> ActivateMany()
    {
        await using var scope = _db.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>().ActivateManyAsync(_members);
        var started = result.Count(VipEntryOutcome.Started);
        return started == Members ? started : throw new InvalidOperationException($"Started {started}.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _insert.Dispose();
        _reset.Dispose();
        _db.Dispose();
    }
}

/// <summary>
/// Bulk activation against what a host does without it: <see cref="IVipEntryStateMachine.ActivateAsync"/> once per
/// subscriber, for <see cref="Members"/> new subscribers (fewer than <see cref="EfCoreBulkActivationBenchmarks"/> so the
/// one-by-one side finishes; both sides scale linearly in members).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(LongRunConfig))]
public class EfCoreBulkVersusSingleBenchmarks
{
    public const int Members = 5_000;

    private readonly DateTimeOffset _ends = DateTimeOffset.UtcNow.AddDays(30);
    private BenchmarkDatabase _db = null!;
    private DbCommand _reset = null!;
    private VipEntryActivation[] _members = [];

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = BenchmarkDatabase.SqliteNormal;

    public static IEnumerable<string> Engines => BenchmarkDatabase.Engines;

    [GlobalSetup]
    public void Setup()
    {
        _db = new BenchmarkDatabase(Engine, _ => (1, DateTimeOffset.UtcNow), rows: 0);
        _members = [.. Enumerable.Range(1, Members).Select(i => new VipEntryActivation(i, _ends))];
        _reset = _db.Command($"DELETE FROM {BenchmarkDatabase.Table}");
    }

    [IterationSetup]
    public void Empty() => _reset.ExecuteNonQuery();

    /// <summary>Baseline: the engine's bulk activation.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> ActivateMany()
    {
        await using var scope = _db.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>().ActivateManyAsync(_members);
        return result.Count(VipEntryOutcome.Started) == Members ? Members : throw new InvalidOperationException("Not all started.");
    }

    /// <summary><c>ActivateAsync</c> per subscriber, one scope for all (the cheapest way to call it).</summary>
    [Benchmark]
    public async Task<int> ActivateOneByOne()
    {
        await using var scope = _db.Services.CreateAsyncScope();
        var machine = scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
        var started = 0;
        foreach (var member in _members)
        {
            started += (await machine.ActivateAsync(member.SubscriberId, member.SubscriptionEndsAt)).Outcome == VipEntryOutcome.Started ? 1 : 0;
        }

        return started == Members ? started : throw new InvalidOperationException("Not all started.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reset.Dispose();
        _db.Dispose();
    }
}
