using BenchmarkDotNet.Attributes;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Benchmarks;

/// <summary>
/// The in-memory store's compare-and-set advance against its physical baseline: the same
/// check-and-replace on a plain dictionary under one lock.
/// </summary>
[MemoryDiagnoser]
public class InMemoryStoreBenchmarks
{
    private const int Subscribers = 1024;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, VipEntryStage> _plain = [];
    private InMemoryVipEntryStore _store = new();
    private readonly DateTimeOffset _now = DateTimeOffset.UnixEpoch.AddYears(50);
    private long _next;

    [GlobalSetup]
    public void Setup()
    {
        _store = new InMemoryVipEntryStore();
        for (long id = 0; id < Subscribers; id++)
        {
            _store.TryCreateAsync(id, _now.AddDays(30)).AsTask().GetAwaiter().GetResult();
            _plain[id] = VipEntryStage.ActivationConfirmation;
        }
    }

    /// <summary>Baseline: the same three steps (compare-and-set 1 → 2, read, reset to 1) on a dictionary under a lock.</summary>
    [Benchmark(Baseline = true)]
    public bool DictionaryCycle()
    {
        var id = _next++ % Subscribers;
        bool moved;
        lock (_gate)
        {
            moved = _plain[id] == VipEntryStage.ActivationConfirmation;
            if (moved)
            {
                _plain[id] = VipEntryStage.ExpectationAlignment;
            }
        }

        lock (_gate)
        {
            _ = _plain[id];
        }

        lock (_gate)
        {
            _plain[id] = VipEntryStage.ActivationConfirmation;
        }

        return moved;
    }

    /// <summary>The store: compare-and-set advance 1 → 2, read, renewal restart back to 1.</summary>
    [Benchmark]
    public async ValueTask<bool> StoreCycle()
    {
        var id = _next++ % Subscribers;
        var moved = await _store.TryAdvanceAsync(id, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, _now);
        var record = await _store.FindAsync(id);
        await _store.TryRenewAsync(record!, record!.SubscriptionEndsAt, restart: true);
        return moved;
    }
}
