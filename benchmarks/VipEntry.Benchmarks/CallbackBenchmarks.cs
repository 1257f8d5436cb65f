using BenchmarkDotNet.Attributes;
using VipEntry.Core.Messages;

namespace VipEntry.Benchmarks;

/// <summary>Decoding untrusted callback data against a bare ordinal comparison of the same string.</summary>
public class CallbackBenchmarks
{
    private readonly string _data = VipEntryCallbackData.EncodeAdvance(VipEntry.Core.Stages.VipEntryStage.ExpectationAlignment);

    [Benchmark(Baseline = true)]
    public bool OrdinalEquals() => string.Equals(_data, "vipe:1:2", StringComparison.Ordinal);

    [Benchmark]
    public bool TryDecode() => VipEntryCallbackData.TryDecode(_data, out _);
}
