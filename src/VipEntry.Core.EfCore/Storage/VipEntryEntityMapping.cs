using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace VipEntry.Core.EfCore;

/// <summary>Where the ritual lives in a context's model, read from the annotations <c>HasVipEntry</c> left there.</summary>
internal sealed class VipEntryEntityMapping
{
    private VipEntryEntityMapping(IEntityType entityType, string idProperty, string endProperty)
    {
        EntityType = entityType;
        IdProperty = idProperty;
        EndProperty = endProperty;
    }

    public IEntityType EntityType { get; }

    public string IdProperty { get; }

    public string EndProperty { get; }

    public static VipEntryEntityMapping Resolve(DbContext context, Type entityClrType)
    {
        var entityType = context.Model.FindEntityType(entityClrType);
        var id = entityType?.FindAnnotation(VipEntryAnnotations.SubscriberIdProperty)?.Value as string;
        var end = entityType?.FindAnnotation(VipEntryAnnotations.SubscriptionEndProperty)?.Value as string;
        if (entityType is null || id is null || end is null)
        {
            var mapped = context.Model.GetEntityTypes()
                .Where(t => t.FindAnnotation(VipEntryAnnotations.SubscriberIdProperty) is not null)
                .Select(t => t.ClrType.Name)
                .FirstOrDefault();
            var hint = mapped is null
                ? "Call modelBuilder.AddVipEntrySubscribers() or entity.HasVipEntry(...) in OnModelCreating."
                : $"The ritual is mapped on '{mapped}': register AddEntityFrameworkCoreStore<{context.GetType().Name}, {mapped}>().";
            throw new InvalidOperationException($"'{entityClrType.Name}' carries no VipEntry mapping in the model of '{context.GetType().Name}'. {hint}");
        }

        return new VipEntryEntityMapping(entityType, id, end);
    }

    /// <summary>A plain INSERT of a new subscriber at stage 1, with identifiers quoted by the provider.</summary>
    public string BuildInsertSql(ISqlGenerationHelper sql)
    {
        var table = EntityType.GetTableName()!;
        var schema = EntityType.GetSchema();
        var store = StoreObjectIdentifier.Table(table, schema);
        string Column(string property) => sql.DelimitIdentifier(EntityType.FindProperty(property)!.GetColumnName(store)!);
        return $"INSERT INTO {sql.DelimitIdentifier(table, schema)} ({Column(IdProperty)}, {Column(EndProperty)}, {Column(VipEntryPropertyNames.Stage)}) VALUES ({{0}}, {{1}}, {{2}})";
    }

    /// <summary>The value the end property stores for <paramref name="value"/>, through its own converter.</summary>
    public object? ToProviderEnd(DateTimeOffset value)
    {
        var converter = EntityType.FindProperty(EndProperty)!.GetTypeMapping().Converter;
        return converter is null ? value : converter.ConvertToProvider(value);
    }
}
