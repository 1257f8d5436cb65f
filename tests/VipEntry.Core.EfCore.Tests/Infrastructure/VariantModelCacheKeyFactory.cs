using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>Keys EF Core's model cache by <see cref="VariantContext.Variant"/> as well as the context type.</summary>
public sealed class VariantModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        context is VariantContext variant ? (context.GetType(), variant.Variant, designTime) : (context.GetType(), designTime);
}
