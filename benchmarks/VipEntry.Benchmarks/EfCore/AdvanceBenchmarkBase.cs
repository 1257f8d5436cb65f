using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace VipEntry.Benchmarks.EfCore;

/// <summary>
/// What every advance benchmark shares: a seeded SQLite file, the physical baseline (the stage 1 → 2 conditional
/// <c>UPDATE</c>, prepared once, on the same open connection), the reset of every row to stage 1 outside the
/// measurement, and the check that every measured call changed exactly one row.
/// </summary>
public abstract class AdvanceBenchmarkBase
{
    /// <summary>Compare-and-sets per iteration (each on its own row, all below <see cref="SqliteBenchmarkDatabase.Subscribers"/>).</summary>
    public const int Moves = 2_000;

    private const string AdvanceSql =
        $"UPDATE {SqliteBenchmarkDatabase.Table} SET vip_entry_stage = @to WHERE user_id = @id AND vip_entry_stage = @from AND expires_at > @now";

    private const string ResetSql = $"UPDATE {SqliteBenchmarkDatabase.Table} SET vip_entry_stage = 1";

    private SqliteCommand _advance = null!;
    private SqliteCommand _reset = null!;
    private int _misses;

    /// <summary>The database.</summary>
    protected SqliteBenchmarkDatabase Db { get; private set; } = null!;

    /// <summary>A long-lived DI scope over <see cref="Db"/>.</summary>
    protected AsyncServiceScope Scope { get; private set; }

    /// <summary>The id of the next row to advance.</summary>
    protected long Next { get; set; }

    /// <summary>Baseline: the conditional UPDATE as a prepared <c>SqliteCommand</c> (async, like the store's call).</summary>
    /// <returns>Whether it changed a row.</returns>
    [Benchmark(Baseline = true)]
    public async Task<bool> RawConditionalUpdate()
    {
        _advance.Parameters[1].Value = ++Next;
        return Check(await _advance.ExecuteNonQueryAsync() == 1);
    }

    /// <summary>Puts every row back at stage 1, outside the measurement.</summary>
    [IterationSetup]
    public void ResetRows()
    {
        _reset.ExecuteNonQuery();
        Next = 0;
    }

    /// <summary>Disposes everything and fails the run if any call changed no row (the sides did unequal work).</summary>
    /// <returns>A task.</returns>
    [GlobalCleanup]
    public async Task Cleanup()
    {
        _advance.Dispose();
        _reset.Dispose();
        await Scope.DisposeAsync();
        Db.Dispose();
        if (_misses > 0)
        {
            throw new InvalidOperationException($"{_misses} compare-and-sets did not change a row: the two sides did unequal work.");
        }
    }

    /// <summary>Creates the database and the baseline's commands; call from the derived <c>[GlobalSetup]</c>.</summary>
    /// <param name="synchronous">SQLite's <c>synchronous</c> pragma.</param>
    /// <param name="now">The instant the baseline binds as "now".</param>
    protected void SetUp(string synchronous, DateTimeOffset now)
    {
        var endsAt = now.AddDays(365);
        Db = new SqliteBenchmarkDatabase(synchronous, _ => (1, endsAt));
        Scope = Db.Services.CreateAsyncScope();
        _advance = Db.Command(AdvanceSql, "@to", "@id", "@from", "@now");
        _advance.Parameters[0].Value = 2;
        _advance.Parameters[2].Value = 1;
        _advance.Parameters[3].Value = SqliteBenchmarkDatabase.Stored(now);
        _reset = Db.Command(ResetSql);
    }

    /// <summary>Counts a call that changed no row.</summary>
    /// <param name="changed">Whether the call changed its row.</param>
    /// <returns><paramref name="changed"/>.</returns>
    protected bool Check(bool changed)
    {
        if (!changed)
        {
            _misses++;
        }

        return changed;
    }
}
