using System.Data.Common;
using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.EfCore;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Benchmarks.EfCore;

/// <summary>
/// Where EF's time goes in one compare-and-set (the advance): the same <c>UPDATE</c> produced and sent six ways, from the
/// store down to the prepared command, each on one <see cref="BenchmarkDbContext"/> over the same open connection.
/// </summary>
/// <remarks>
/// Read the steps as differences: <c>Store</c> − <c>LinqConstantNames</c> is what the store's own LINQ costs beyond the
/// naive code; <c>LinqConstantNames</c> − <c>RelationalCommand</c> is EF's LINQ pipeline per call (expression tree,
/// query cache lookup, parameter extraction, SQL nullability processing); <c>RelationalCommand</c> −
/// <c>Unprepared</c> is EF's command pipeline (diagnostics, interceptors, the connection's open/close bookkeeping);
/// <c>Unprepared</c> − <c>Raw</c> is preparing the statement again per call (a new <see cref="DbCommand"/>, which is what
/// EF does for every execution). Same fairness as <see cref="EfCoreTransitionBenchmarks"/>: every call advances one
/// distinct row, and a call that changes nothing fails the run.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(Moves)]
public class EfCorePipelineBenchmarks
{
    public const int Moves = EfCoreTransitionBenchmarks.Moves;

    private const string Sql =
        $"UPDATE {BenchmarkDatabase.Table} SET vip_entry_stage = @to, vip_entry_stage_entered_at = @now, vip_entry_stage_nudged_at = NULL " +
        "WHERE user_id = @id AND vip_entry_stage = @from AND expires_at > @now";

    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private BenchmarkDatabase _db = null!;
    private AsyncServiceScope _scope;
    private BenchmarkDbContext _context = null!;
    private IVipEntryStore _store = null!;
    private DbCommand _raw = null!;
    private DbCommand _reset = null!;
    private IRelationalCommand _command = null!;
    private IRelationalConnection _connection = null!;
    private IRelationalCommandDiagnosticsLogger _logger = null!;
    private long _next;
    private int _misses;

    [ParamsSource(nameof(Engines))]
    public string Engine { get; set; } = BenchmarkDatabase.SqliteNormal;

    public static IEnumerable<string> Engines => BenchmarkDatabase.Engines;

    [GlobalSetup]
    public void Setup()
    {
        var endsAt = _now.AddDays(365);
        _db = new BenchmarkDatabase(Engine, _ => (1, endsAt));
        _scope = _db.Services.CreateAsyncScope();
        _context = _scope.ServiceProvider.GetRequiredService<BenchmarkDbContext>();
        _store = _scope.ServiceProvider.GetRequiredService<IVipEntryStore>();
        _reset = _db.Command($"UPDATE {BenchmarkDatabase.Table} SET vip_entry_stage = 1, vip_entry_stage_entered_at = NULL, vip_entry_stage_nudged_at = NULL");
        _raw = _db.Command(Sql, ("@to", 2), ("@now", BenchmarkDatabase.Stored(_now)), ("@id", 0L), ("@from", 1));

        // The command the new store builds once per model: text + parameters typed by the properties' mappings.
        var entity = _context.Model.FindEntityType(typeof(VipEntrySubscriber))!;
        var builder = _context.GetService<IRelationalCommandBuilderFactory>().Create();
        builder.Append(Sql);
        builder.AddParameter("to", "@to", entity.FindProperty(nameof(VipEntrySubscriber.VipEntryStage))!.GetRelationalTypeMapping(), true);
        builder.AddParameter("now", "@now", entity.FindProperty(nameof(VipEntrySubscriber.ExpiresAt))!.GetRelationalTypeMapping(), false);
        builder.AddParameter("id", "@id", entity.FindProperty(nameof(VipEntrySubscriber.UserId))!.GetRelationalTypeMapping(), false);
        builder.AddParameter("from", "@from", entity.FindProperty(nameof(VipEntrySubscriber.VipEntryStage))!.GetRelationalTypeMapping(), true);
        _command = builder.Build();
        _connection = _context.GetService<IRelationalConnection>();
        _logger = _context.GetService<IRelationalCommandDiagnosticsLogger>();
    }

    [IterationSetup]
    public void ResetRows()
    {
        _reset.ExecuteNonQuery();
        _db.Analyze();
        _next = 0;
    }

    /// <summary>Baseline: the statement prepared once on a plain command.</summary>
    [Benchmark(Baseline = true)]
    public async Task<bool> Raw()
    {
        _raw.Parameters[2].Value = ++_next;
        return Check(await _raw.ExecuteNonQueryAsync() == 1);
    }

    /// <summary>The same text on a new, unprepared command per call (what any EF execution does at the ADO.NET level).</summary>
    [Benchmark]
    public async Task<bool> Unprepared()
    {
        await using var command = _db.Connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL.
        command.CommandText = Sql;
#pragma warning restore CA2100
        Add(command, "@to", 2);
        Add(command, "@now", BenchmarkDatabase.Stored(_now));
        Add(command, "@id", ++_next);
        Add(command, "@from", 1);
        return Check(await command.ExecuteNonQueryAsync() == 1);
    }

    /// <summary>A cached <see cref="IRelationalCommand"/> through EF's command pipeline (interceptors, logging, transaction).</summary>
    [Benchmark]
    public async Task<bool> RelationalCommand()
    {
        var values = new Dictionary<string, object?> { ["to"] = (int?)2, ["now"] = _now, ["id"] = ++_next, ["from"] = (int?)1 };
        var changed = await _command.ExecuteNonQueryAsync(new RelationalCommandParameterObject(_connection, values, null, _context, _logger, CommandSource.ExecuteUpdate));
        return Check(changed == 1);
    }

    /// <summary><c>ExecuteSqlRawAsync</c> with the text and fresh <see cref="DbParameter"/>s per call.</summary>
    [Benchmark]
    public async Task<bool> ExecuteSqlRaw()
    {
        var to = Parameter("@to", 2);
        var now = Parameter("@now", BenchmarkDatabase.Stored(_now));
        var id = Parameter("@id", ++_next);
        var from = Parameter("@from", 1);
        return Check(await _context.Database.ExecuteSqlRawAsync(Sql, to, now, id, from) == 1);
    }

    /// <summary>The naive code a user would write: <c>ExecuteUpdate</c> with constant property names.</summary>
    [Benchmark]
    public async Task<bool> LinqConstantNames()
    {
        var id = ++_next;
        int? from = 1;
        int? to = 2;
        DateTimeOffset? entered = _now;
        var changed = await _context.Set<VipEntrySubscriber>()
            .Where(s => s.UserId == id && s.VipEntryStage == from && s.ExpiresAt > _now)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.VipEntryStage, to)
                .SetProperty(s => s.VipEntryStageEnteredAt, entered)
                .SetProperty(s => s.VipEntryStageNudgedAt, (DateTimeOffset?)null));
        return Check(changed == 1);
    }

    /// <summary>The store's <c>TryAdvanceAsync</c>.</summary>
    [Benchmark]
    public async Task<bool> Store() =>
        Check(await _store.TryAdvanceAsync(++_next, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, _now));

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

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private DbParameter Parameter(string name, object value)
    {
        var parameter = DbProviderFactories.GetFactory(_db.Connection)!.CreateParameter()!;
        parameter.ParameterName = name;
        parameter.Value = value;
        return parameter;
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
