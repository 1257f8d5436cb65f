using System.Data.Common;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VipEntry.Core.Channel;
using VipEntry.Core.Options;

namespace VipEntry.Benchmarks.EfCore;

/// <summary>
/// The channel worker working off <see cref="Items"/> owed items (R19: a link to revoke each, nobody inside), through
/// <see cref="IVipEntryChannelWorker.RunOnceAsync"/> on the EF Core stores, against the floor: the same reads and writes
/// by hand on prepared commands — a batch of due records (<see cref="Batch"/>, the default sweep batch), then per record its
/// claim, the subscriber's row, the port's revocation and the settlement — until none is due.
/// </summary>
/// <remarks>
/// Fair: both sides start from the same <see cref="Items"/> owed records (<c>IterationSetup</c>, unmeasured, with an
/// ANALYZE), call the same no-op port once per item, end with every record settled (checked), and autocommit each write.
/// The worker's cycle also runs its lapse and reminder passes, which find nothing here (no subscribers).
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(LongRunConfig))]
public class EfCoreChannelCycleBenchmarks
{
    public const int Items = 10_000;
    public const int Batch = 100;

    private const string T = EfCoreChannelBenchmarks.Table;
    private const string Claim = "held-by-the-floor";

    private BenchmarkDatabase _db = null!;
    private DbCommand _reset = null!;
    private DbCommand _list = null!;
    private DbCommand _claim = null!;
    private DbCommand _find = null!;
    private DbCommand _settle = null!;
    private readonly NoOpChannel _port = new();

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = BenchmarkDatabase.SqliteNormal;

    public static IEnumerable<string> Engines => BenchmarkDatabase.Engines;

    [GlobalSetup]
    public void Setup()
    {
        _db = new BenchmarkDatabase(Engine, _ => (1, DateTimeOffset.UtcNow), rows: 0, configure: b =>
        {
            b.UseChannel<NoOpChannel>(lifetime: ServiceLifetime.Singleton);
            b.Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>)); // a host has logging; the worker's parts ask for it
            b.Services.Configure<VipEntryOptions>(o => o.SweepBatchSize = Batch);
        });
        var due = BenchmarkDatabase.Stored(DateTimeOffset.UtcNow.AddMinutes(-5));
        EfCoreChannelBenchmarks.Seed(_db, Items, due);
        var now = BenchmarkDatabase.Stored(DateTimeOffset.UtcNow);
        var chat = EfCoreChannelBenchmarks.Chat;
        _reset = _db.Command($"UPDATE {T} SET links_to_revoke = 'https://t.me/+owed' || user_id, due_at = @due, version = 1, claim = NULL, lease_until = NULL", ("@due", due));
        _list = _db.Command(
            $"SELECT user_id, version, links_to_revoke FROM {T} WHERE chat = @chat AND due_at <= @now AND (claim IS NULL OR lease_until <= @now) " +
            $"ORDER BY due_at, user_id LIMIT {Batch}",
            ("@chat", chat), ("@now", now));
        _claim = _db.Command(
            $"UPDATE {T} SET claim = @claim, lease_until = @lease " +
            "WHERE chat = @chat AND user_id = @id AND version = @version AND claim IS NULL AND due_at <= @now AND (claim IS NULL OR lease_until <= @now)",
            ("@claim", Claim), ("@lease", now), ("@chat", chat), ("@id", 0L), ("@version", 1L), ("@now", now));
        _find = _db.Command(
            $"SELECT user_id, expires_at, vip_entry_stage, vip_entry_token, invite_link_sent_at, vip_entry_invite_link, vip_entry_lapse_handled_at FROM {BenchmarkDatabase.Table} WHERE user_id = @id",
            ("@id", 0L));
        _settle = _db.Command(
            $"UPDATE {T} SET may_be_inside = @inside, ban_may_stand = @ban, links_to_revoke = NULL, due_at = NULL, version = version + 1, claim = NULL, lease_until = NULL " +
            "WHERE chat = @chat AND user_id = @id AND version = @version AND claim = @claim",
            ("@inside", false), ("@ban", false), ("@chat", chat), ("@id", 0L), ("@version", 1L), ("@claim", Claim));
    }

    [IterationSetup]
    public void Reset()
    {
        _reset.ExecuteNonQuery();
        _db.Analyze();
    }

    /// <summary>Baseline: the cycle's reads and writes by hand.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> Raw()
    {
        var settled = 0;
        var due = new List<(long Id, long Version, string Link)>(Batch);
        while (true)
        {
            var now = BenchmarkDatabase.Stored(DateTimeOffset.UtcNow);
            _list.Parameters[1].Value = now;
            due.Clear();
            await using (var reader = await _list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    due.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
                }
            }

            if (due.Count == 0)
            {
                return settled == Items ? settled : throw new InvalidOperationException($"Settled {settled}.");
            }

            foreach (var (id, version, link) in due)
            {
                _claim.Parameters[1].Value = BenchmarkDatabase.Stored(DateTimeOffset.UtcNow.AddMinutes(10));
                _claim.Parameters[3].Value = id;
                _claim.Parameters[4].Value = version;
                _claim.Parameters[5].Value = now;
                if (await _claim.ExecuteNonQueryAsync() != 1)
                {
                    throw new InvalidOperationException($"Claim of {id} lost.");
                }

                _find.Parameters[0].Value = id;
                await using (var reader = await _find.ExecuteReaderAsync())
                {
                    _ = await reader.ReadAsync();
                }

                _ = await _port.RevokeLinkAsync(link, CancellationToken.None);
                _settle.Parameters[3].Value = id;
                _settle.Parameters[4].Value = version;
                settled += await _settle.ExecuteNonQueryAsync();
            }
        }
    }

    /// <summary>The worker's cycles, a DI scope each, as the hosted worker runs them, until nothing is owed.</summary>
    [Benchmark]
    public async Task<int> Worker()
    {
        var revoked = 0;
        while (true)
        {
            await using var scope = _db.PooledServices.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<IVipEntryChannelWorker>().RunOnceAsync();
            if (report.LinksRevoked == 0)
            {
                return revoked == Items ? revoked : throw new InvalidOperationException($"Revoked {revoked}.");
            }

            revoked += report.LinksRevoked;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reset.Dispose();
        _list.Dispose();
        _claim.Dispose();
        _find.Dispose();
        _settle.Dispose();
        _db.Dispose();
    }
}
