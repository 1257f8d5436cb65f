using BenchmarkDotNet.Running;

// Every benchmark class pairs a VipEntry hot path with its physical baseline (Baseline = true),
// measured in the same run, so results read as ratios. Run:
//   dotnet run -c Release --project benchmarks/VipEntry.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
