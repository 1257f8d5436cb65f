using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>
/// A host context whose model a test builds, one cached model per <see cref="Variant"/> (so one context type serves
/// many mappings). Create it with <see cref="Create"/>, which keys EF Core's model cache by the variant.
/// </summary>
public sealed class VariantContext(DbContextOptions<VariantContext> options, string variant, Action<ModelBuilder> build) : DbContext(options)
{
    /// <summary>The name of the mapping; two mappings must not share one.</summary>
    public string Variant { get; } = variant;

    public static VariantContext Create(ScratchDatabase database, string variant, Action<ModelBuilder> build) =>
        Create(database.Configure, variant, build);

    /// <summary>A context on the provider <paramref name="configure"/> sets, e.g. one that is never connected to (model checks).</summary>
    public static VariantContext Create(Action<DbContextOptionsBuilder> configure, string variant, Action<ModelBuilder> build)
    {
        var options = new DbContextOptionsBuilder<VariantContext>();
        configure(options);
        options.ReplaceService<IModelCacheKeyFactory, VariantModelCacheKeyFactory>();
        return new VariantContext(options.Options, variant, build);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) => build(modelBuilder);
}
