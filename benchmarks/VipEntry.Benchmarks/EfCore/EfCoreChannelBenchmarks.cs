using System.Data.Common;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Options;
using VipEntry.Core.Storage;

namespace VipEntry.Benchmarks.EfCore;

/// <summary>
/// The channel worker's two writes per owed item (R19), the EF Core channel store against the physical floor: the claim
/// (<see cref="IVipEntryChannelStore.TryClaimAsync"/>) and the confirmation that settles the item
/// (<see cref="IVipEntryChannelStore.TrySettleAsync"/>), each against the same single-row conditional <c>UPDATE</c>
/// prepared once on a plain <see cref="DbCommand"/> over the same open connection.
/// </summary>
/// <remarks>
/// Fair as <see cref="EfCoreTransitionBenchmarks"/>: every measured call is one successful compare-and-set on a distinct
/// owed record (chat <see cref="VipEntryOptions.DefaultChannelKey"/>, ids 1 … <see cref="Moves"/>), the reset (one
/// statement and an ANALYZE) runs in <c>IterationSetup</c>, and a call that changes no row fails the run.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(Moves)]
public class EfCoreChannelBenchmarks
{
    /// <summary>Compare-and-sets per iteration (each on its own record).</summary>
    public const int Moves = EfCoreTransitionBenchmarks.Moves;

    internal const string Table = "vip_entry_channel";
    internal const string Chat = VipEntryOptions.DefaultChannelKey;
    private const string Held = "held-by-the-benchmark";

    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private VipEntryChannelRecord[] _records = [];
    private VipEntryChannelSettlement[] _settlements = [];
    private BenchmarkDatabase _db = null!;
    private AsyncServiceScope _scope;
    private IVipEntryChannelStore _store = null!;
    private DbCommand _raw = null!;
    private DbCommand _reset = null!;
    private long _next;
    private int _misses;

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = BenchmarkDatabase.SqliteNormal;

    /// <summary>The write: <c>Claim</c> or <c>Settle</c>.</summary>
    [Params("Claim", "Settle")]
    public string Operation { get; set; } = "Claim";

    public static IEnumerable<string> Engines => BenchmarkDatabase.Engines;

    private DateTimeOffset DueAt => _now.AddMinutes(-5);

    private DateTimeOffset LeaseUntil => _now.AddMinutes(10);

    [GlobalSetup]
    public void Setup()
    {
        _db = new BenchmarkDatabase(Engine, _ => (1, DateTimeOffset.UtcNow), rows: 0);
        Seed(_db, Moves + 1, BenchmarkDatabase.Stored(DueAt));
        _scope = _db.Services.CreateAsyncScope();
        _store = _scope.ServiceProvider.GetRequiredService<IVipEntryChannelStore>();
        var due = BenchmarkDatabase.Stored(DueAt);
        var lease = BenchmarkDatabase.Stored(LeaseUntil);
        _records = [.. Enumerable.Range(0, Moves + 1).Select(i => new VipEntryChannelRecord(Chat, i, false, false, [Link(i)], DueAt, 1))];
        _settlements = [.. Enumerable.Range(0, Moves + 1).Select(i => new VipEntryChannelSettlement(Chat, i, Held, 1, false, false, [], null))];
        if (Operation == "Claim")
        {
            _reset = _db.Command($"UPDATE {Table} SET claim = NULL, lease_until = NULL, version = 1, due_at = @due", ("@due", due));
            _raw = _db.Command(
                $"UPDATE {Table} SET claim = @claim, lease_until = @lease " +
                "WHERE chat = @chat AND user_id = @id AND version = @version AND claim IS NULL AND due_at <= @now AND (claim IS NULL OR lease_until <= @now)",
                ("@claim", Held), ("@lease", lease), ("@chat", Chat), ("@id", 0L), ("@version", 1L), ("@now", BenchmarkDatabase.Stored(_now)));
        }
        else
        {
            _reset = _db.Command($"UPDATE {Table} SET claim = @claim, lease_until = @lease, version = 1, due_at = @due, links_to_revoke = 'https://t.me/+owed' || user_id", ("@claim", Held), ("@lease", lease), ("@due", due));
            _raw = _db.Command(
                $"UPDATE {Table} SET may_be_inside = @inside, ban_may_stand = @ban, links_to_revoke = NULL, due_at = NULL, version = version + 1, claim = NULL, lease_until = NULL " +
                "WHERE chat = @chat AND user_id = @id AND version = @version AND claim = @claim",
                ("@inside", false), ("@ban", false), ("@chat", Chat), ("@id", 0L), ("@version", 1L), ("@claim", Held));
        }
    }

    /// <summary>Seeds <paramref name="count"/> owed records (ids 1 …): a link to revoke each, due at <paramref name="due"/>.</summary>
    internal static void Seed(BenchmarkDatabase db, int count, DateTime due) =>
        db.Execute(
            $"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})
            INSERT INTO {Table} (chat, user_id, may_be_inside, ban_may_stand, links_to_revoke, due_at, claim, lease_until, version)
            SELECT '{Chat}', i, FALSE, FALSE, 'https://t.me/+owed' || i, @due, NULL, NULL, 1 FROM n
            """,
            ("@due", due));

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
        _raw.Parameters[3].Value = ++_next; // @id in both statements
        return Check(await _raw.ExecuteNonQueryAsync() == 1);
    }

    /// <summary>The EF Core channel store's compare-and-set, resolved from DI as the worker gets it.</summary>
    [Benchmark]
    public async Task<bool> Store()
    {
        var id = ++_next;
        return Check(Operation == "Claim"
            ? await _store.TryClaimAsync(_records[id], Held, _now, LeaseUntil)
            : await _store.TrySettleAsync(_settlements[id]));
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

    private static string Link(long id) => "https://t.me/+owed" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private bool Check(bool changed)
    {
        if (!changed)
        {
            _misses++;
        }

        return changed;
    }
}
