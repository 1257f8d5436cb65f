using System.Data.Common;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Benchmarks.EfCore;

/// <summary>
/// The EF Core store's compare-and-sets (advance, redeem, grant issue, renewal) against their physical floor: the same
/// single-row conditional <c>UPDATE</c> the store sends (the row by key, the rest of its conditions in one CASE), prepared once on a plain <see cref="DbCommand"/> over the same
/// open connection, in the same run.
/// </summary>
/// <remarks>
/// Fair: every measured call, on either side, is exactly one successful compare-and-set on a distinct row (ids 1 …
/// <see cref="Moves"/>), committed on the same connection and settings; <c>IterationSetup</c> puts every row back in
/// the starting state with one statement, outside the measurement, and a call that changes no row fails the run. So both
/// sides write the same rows with the same values; what differs is only how the statement is produced and bound. The
/// reset is followed by an ANALYZE (unmeasured), so the planner sees the rows where the reset put them.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(Moves)]
public class EfCoreTransitionBenchmarks
{
    /// <summary>Compare-and-sets per iteration (each on its own row).</summary>
    public const int Moves = 2_000;

    private const string T = BenchmarkDatabase.Table;

    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private string[] _hashes = [];
    private VipEntryRecord[] _records = [];
    private BenchmarkDatabase _db = null!;
    private AsyncServiceScope _scope;
    private IVipEntryStore _store = null!;
    private DbCommand _raw = null!;
    private DbCommand _reset = null!;
    private long _next;
    private int _misses;

    /// <summary>The engine (see <see cref="BenchmarkDatabase"/>).</summary>
    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = BenchmarkDatabase.SqliteNormal;

    /// <summary>The transition.</summary>
    [Params("Advance", "Redeem", "Issue", "Renew")]
    public string Operation { get; set; } = "Advance";

    public static IEnumerable<string> Engines => BenchmarkDatabase.Engines;

    private DateTimeOffset EndsAt => _now.AddDays(365);

    private DateTimeOffset RenewedTo => _now.AddDays(400);

    private DateTimeOffset IssuedAfter => _now.AddHours(-24);

    [GlobalSetup]
    public void Setup()
    {
        var endsAt = EndsAt;
        _db = new BenchmarkDatabase(Engine, _ => (1, endsAt));
        _scope = _db.Services.CreateAsyncScope();
        _store = _scope.ServiceProvider.GetRequiredService<IVipEntryStore>();
        _hashes = [.. Enumerable.Range(0, Moves + 1).Select(i => i.ToString("D64", CultureInfo.InvariantCulture))];
        _records = [.. Enumerable.Range(0, Moves + 1).Select(i => new VipEntryRecord(i, VipEntryStage.Completed, endsAt, null, null, null, null))];
        var now = BenchmarkDatabase.Stored(_now);
        var clearVisit = "vip_entry_stage_entered_at = NULL, vip_entry_stage_nudged_at = NULL";
        var clearGrant = "vip_entry_token = NULL, invite_link_sent_at = NULL, vip_entry_invite_link = NULL, vip_entry_grant_nudged_at = NULL";
        var clearLapse = "vip_entry_lapse_handled_at = NULL, vip_entry_lapse_claim = NULL, vip_entry_lapse_lease_until = NULL, vip_entry_lapse_link = NULL";
        switch (Operation)
        {
            case "Advance":
                _reset = _db.Command($"UPDATE {T} SET vip_entry_stage = 1, {clearVisit}");
                _raw = _db.Command(
                    $"UPDATE {T} SET vip_entry_stage = @to, vip_entry_stage_entered_at = @now, vip_entry_stage_nudged_at = NULL " +
                    "WHERE user_id = @id AND CASE WHEN vip_entry_stage = @from AND expires_at > @now THEN 1 ELSE 0 END = 1",
                    ("@to", 2), ("@now", now), ("@id", 0L), ("@from", 1));
                break;
            case "Redeem":
                _reset = _db.Command($"UPDATE {T} SET vip_entry_stage = 3, vip_entry_token = {_db.PaddedHashSql("user_id")}, invite_link_sent_at = @issued", ("@issued", BenchmarkDatabase.Stored(_now.AddHours(-1))));
                _raw = _db.Command(
                    $"UPDATE {T} SET vip_entry_stage = NULL, {clearVisit}, {clearGrant} " +
                    "WHERE user_id = @id AND CASE WHEN vip_entry_stage = @from AND vip_entry_token = @hash AND invite_link_sent_at > @after AND expires_at > @now THEN 1 ELSE 0 END = 1",
                    ("@id", 0L), ("@from", 3), ("@hash", ""), ("@after", BenchmarkDatabase.Stored(IssuedAfter)), ("@now", now));
                break;
            case "Issue":
                _reset = _db.Command($"UPDATE {T} SET vip_entry_stage = 3, {clearGrant}");
                _raw = _db.Command(
                    $"UPDATE {T} SET vip_entry_token = @hash, invite_link_sent_at = @now, vip_entry_invite_link = NULL, vip_entry_grant_nudged_at = NULL " +
                    "WHERE user_id = @id AND CASE WHEN vip_entry_stage = @stage AND expires_at > @now AND vip_entry_token IS NULL THEN 1 ELSE 0 END = 1",
                    ("@hash", ""), ("@now", now), ("@id", 0L), ("@stage", 3));
                break;
            case "Renew":
                _reset = _db.Command($"UPDATE {T} SET vip_entry_stage = NULL, expires_at = @end, {clearGrant}, {clearLapse}", ("@end", BenchmarkDatabase.Stored(endsAt)));
                _raw = _db.Command(
                    $"UPDATE {T} SET expires_at = @end, {clearLapse} " +
                    "WHERE user_id = @id AND CASE WHEN vip_entry_stage IS NULL AND vip_entry_token IS NULL AND vip_entry_invite_link IS NULL " +
                    "AND vip_entry_lapse_handled_at IS NULL AND vip_entry_lapse_claim IS NULL THEN 1 ELSE 0 END = 1",
                    ("@end", BenchmarkDatabase.Stored(RenewedTo)), ("@id", 0L));
                break;
            default:
                throw new InvalidOperationException(Operation);
        }
    }

    [IterationSetup]
    public void ResetRows()
    {
        _reset.ExecuteNonQuery();
        _db.Analyze();
        _next = 0;
    }

    /// <summary>Baseline: the store's statement, prepared on a plain <see cref="DbCommand"/>.</summary>
    [Benchmark(Baseline = true)]
    public async Task<bool> Raw()
    {
        var id = ++_next;
        var parameters = _raw.Parameters;
        switch (Operation)
        {
            case "Advance":
                parameters[2].Value = id;
                break;
            case "Redeem":
                parameters[0].Value = id;
                parameters[2].Value = _hashes[id];
                break;
            case "Issue":
                parameters[0].Value = _hashes[id];
                parameters[2].Value = id;
                break;
            default:
                parameters[1].Value = id;
                break;
        }

        return Check(await _raw.ExecuteNonQueryAsync() == 1);
    }

    /// <summary>The EF Core store's compare-and-set, resolved from DI as the engine gets it.</summary>
    [Benchmark]
    public async Task<bool> Store()
    {
        var id = ++_next;
        return Check(Operation switch
        {
            "Advance" => await _store.TryAdvanceAsync(id, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, _now),
            "Redeem" => await _store.TryRedeemAsync(id, VipEntryStage.AccessDelivery, _hashes[id], _now, IssuedAfter),
            "Issue" => await _store.TryIssueGrantAsync(id, VipEntryStage.AccessDelivery, null, _hashes[id], _now, _now),
            _ => await _store.TryRenewAsync(_records[id], RenewedTo, restart: false),
        });
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
