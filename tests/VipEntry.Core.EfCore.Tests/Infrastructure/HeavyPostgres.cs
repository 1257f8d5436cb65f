namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>
/// PostgreSQL tests that open many connections or load many rows run alone, after the parallel ones, so they stay
/// under the server's connection limit (100 by default) and their timings are not skewed.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public static class HeavyPostgres
{
    public const string Name = "Heavy PostgreSQL";
}
