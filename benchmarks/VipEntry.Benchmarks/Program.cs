using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using VipEntry.Benchmarks.EfCore;

// Every benchmark class pairs a VipEntry hot path with its physical baseline (Baseline = true), measured in the same
// run, so results read as ratios. See benchmarks/README.md and docs/performance.md. Run:
//   dotnet run -c Release --project benchmarks/VipEntry.Benchmarks -- --filter '*' --job short
// Quick mode (fewer iterations, in-process, SQLite NORMAL + PostgreSQL unless VIPENTRY_BENCH_ENGINES says otherwise):
//   dotnet run -c Release --project benchmarks/VipEntry.Benchmarks -- --quick --filter '*EfCore*'
// Interleaved pairs (robust ratios on a loaded machine; see PairedRunner):
//   dotnet run -c Release --project benchmarks/VipEntry.Benchmarks -- --paired
if (!BenchmarkDatabase.HasPostgres)
{
    Console.WriteLine($"// {BenchmarkDatabase.PostgresVariable} is not set: the PostgreSQL rows are skipped (set it to a server where the role may CREATE DATABASE).");
}

if (args.Contains("--paired"))
{
    await VipEntry.Benchmarks.PairedRunner.RunAsync();
    return;
}

var quick = args.Contains("--quick");
var config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10));
if (quick)
{
    args = [.. args.Where(a => a != "--quick")];
    if (Environment.GetEnvironmentVariable(BenchmarkDatabase.EnginesVariable) is null)
    {
        Environment.SetEnvironmentVariable(BenchmarkDatabase.EnginesVariable, $"{BenchmarkDatabase.SqliteNormal},{BenchmarkDatabase.Postgres}");
    }

    config = config.AddJob(Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithToolchain(InProcessEmitToolchain.Instance).AsDefault());
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
