using VipEntry.Core.Stages;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Storage;

namespace VipEntry.Benchmarks.EfCore;

/// <summary>
/// The EF Core store's redemption (<c>TryRedeemAsync</c>: stage 3 → completed and the grant cleared, one
/// <c>ExecuteUpdate</c> with four conditions) against the same conditional <c>UPDATE</c> as a prepared raw command.
/// </summary>
/// <remarks>
/// Fair like <see cref="EfCoreAdvanceBenchmarks"/>: each measured call redeems one distinct live grant (every row is put
/// back at stage 3 with its own token hash and a fresh issue time in <c>IterationSetup</c>, unmeasured), both sides set
/// and test the same columns with the same values, and a call that redeems nothing fails the run.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(EfCoreAdvanceBenchmarks.Moves)]
public class EfCoreRedeemBenchmarks
{
    private const string RedeemSql =
        $"UPDATE {SqliteBenchmarkDatabase.Table} SET vip_entry_stage = NULL, vip_entry_token = NULL, invite_link_sent_at = NULL, vip_entry_invite_link = NULL " +
        "WHERE user_id = @id AND vip_entry_stage = 3 AND vip_entry_token = @hash AND invite_link_sent_at > @after AND expires_at > @now";

    // A distinct 64-character stand-in hash per row (zero-padded id), the same text Hash(id) returns.
    private const string ResetSql =
        $"UPDATE {SqliteBenchmarkDatabase.Table} SET vip_entry_stage = 3, vip_entry_token = printf('%064d', user_id), invite_link_sent_at = @issued";

    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private string[] _hashes = [];
    private SqliteBenchmarkDatabase _db = null!;
    private AsyncServiceScope _scope;
    private IVipEntryStore _store = null!;
    private SqliteCommand _redeem = null!;
    private SqliteCommand _reset = null!;
    private long _next;
    private int _misses;

    private DateTimeOffset IssuedAfter => _now.AddHours(-24);

    [GlobalSetup]
    public void Setup()
    {
        var endsAt = _now.AddDays(365);
        _hashes = [.. Enumerable.Range(0, EfCoreAdvanceBenchmarks.Moves + 1).Select(i => i.ToString("D64", CultureInfo.InvariantCulture))];
        _db = new SqliteBenchmarkDatabase("NORMAL", _ => (3, endsAt));
        _scope = _db.Services.CreateAsyncScope();
        _store = _scope.ServiceProvider.GetRequiredService<IVipEntryStore>();
        _redeem = _db.Command(RedeemSql, "@id", "@hash", "@after", "@now");
        _redeem.Parameters[2].Value = SqliteBenchmarkDatabase.Stored(IssuedAfter);
        _redeem.Parameters[3].Value = SqliteBenchmarkDatabase.Stored(_now);
        _reset = _db.Command(ResetSql, "@issued");
        _reset.Parameters[0].Value = SqliteBenchmarkDatabase.Stored(_now.AddHours(-1));
    }

    [IterationSetup]
    public void ResetRows()
    {
        _reset.ExecuteNonQuery();
        _next = 0;
    }

    /// <summary>Baseline: the conditional UPDATE as a prepared <c>SqliteCommand</c>.</summary>
    [Benchmark(Baseline = true)]
    public async Task<bool> RawConditionalRedeem()
    {
        var id = ++_next;
        _redeem.Parameters[0].Value = id;
        _redeem.Parameters[1].Value = _hashes[id];
        return Check(await _redeem.ExecuteNonQueryAsync() == 1);
    }

    /// <summary>The EF Core store's redemption compare-and-set.</summary>
    [Benchmark]
    public async Task<bool> EfStoreTryRedeem()
    {
        var id = ++_next;
        return Check(await _store.TryRedeemAsync(id, VipEntryStage.AccessDelivery, _hashes[id], _now, IssuedAfter));
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _redeem.Dispose();
        _reset.Dispose();
        await _scope.DisposeAsync();
        _db.Dispose();
        if (_misses > 0)
        {
            throw new InvalidOperationException($"{_misses} redemptions did not change a row: the two sides did unequal work.");
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
