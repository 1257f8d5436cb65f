using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace VipEntry.Benchmarks.EfCore;

/// <summary>
/// For operations that take seconds (bulk activation, sweeps): one invocation per iteration (each starts from the state
/// <c>IterationSetup</c> made), 1 warm-up + 3 measured iterations, in-process. Run these classes without <c>--job</c>,
/// which would add a second job.
/// </summary>
public sealed class LongRunConfig : ManualConfig
{
    public LongRunConfig() =>
        AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(3)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithToolchain(InProcessEmitToolchain.Instance));
}
