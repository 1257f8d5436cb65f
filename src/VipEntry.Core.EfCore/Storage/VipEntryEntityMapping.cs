using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace VipEntry.Core.EfCore;

/// <summary>Where the ritual lives in a context's model, read from the annotations <c>HasVipEntry</c> left there.</summary>
internal sealed class VipEntryEntityMapping
{
    internal const string PostgreSqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    private VipEntryEntityMapping(IEntityType entityType, string idProperty, string endProperty)
    {
        EntityType = entityType;
        IdProperty = idProperty;
        EndProperty = endProperty;
    }

    public IEntityType EntityType { get; }

    public string IdProperty { get; }

    public string EndProperty { get; }

    // Resolved once per model (a model belongs to one provider) and entity type: a store is created per scope.
    private static readonly ConditionalWeakTable<IModel, ConcurrentDictionary<Type, VipEntryEntityMapping>> ByModel = new();

    public static VipEntryEntityMapping Resolve(DbContext context, Type entityClrType)
    {
        var byType = ByModel.GetValue(context.Model, _ => new ConcurrentDictionary<Type, VipEntryEntityMapping>());
        return byType.TryGetValue(entityClrType, out var mapping) ? mapping : byType.GetOrAdd(entityClrType, ResolveUncached(context, entityClrType));
    }

    private static VipEntryEntityMapping ResolveUncached(DbContext context, Type entityClrType)
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

        RefuseZonelessTimes(context, entityType, end);
        return new VipEntryEntityMapping(entityType, id, end);
    }

    // The store writes and compares instants as UTC DateTimes (UtcDateTimeOffsetConverter). A PostgreSQL column of
    // type timestamp without time zone holds no instant: Npgsql refuses to write a UTC DateTime to it (every compare-and-set
    // throws), and a value PostgreSQL casts between the two types (the raw INSERT's) is shifted by the session TimeZone.
    // Refused when the store is created rather than failing on the first step, or silently shifting the end of a
    // subscription; a property whose converter is the host's own says what its values mean, and is left alone.
    private static void RefuseZonelessTimes(DbContext context, IEntityType entityType, string end)
    {
        if (context.Database.ProviderName != PostgreSqlProvider)
        {
            return;
        }

        foreach (var name in (string[])[end, VipEntryPropertyNames.IssuedAt, VipEntryPropertyNames.LapseHandledAt, VipEntryPropertyNames.LapseLeaseUntil])
        {
            var property = entityType.FindProperty(name);
            var columnType = property?.GetColumnType();
            if (property?.GetTypeMapping().Converter is not UtcDateTimeOffsetConverter || !IsTimestampWithoutTimeZone(columnType!))
            {
                continue;
            }

            static string Quote(string? identifier) => "\"" + identifier?.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            var column = Quote(property.GetColumnName());
            var table = Quote(entityType.GetTableName());

            // The ready-made entity's end is also written by the store's raw INSERT, whose parameter is typed by its CLR
            // type, not the column: there a converter of the host's own to a zoneless DateTime would not help.
            var converterHelps = !(entityType.ClrType == typeof(VipEntrySubscriber) && name == end);
            throw new InvalidOperationException(
                $"VipEntry cannot use the property '{entityType.DisplayName()}.{property.Name}' (column {column} of table {table}): its column "
                + $"type '{columnType}' is PostgreSQL's timestamp without time zone, which holds no instant. The store writes and compares "
                + "UTC instants: Npgsql refuses to write them to that type, and PostgreSQL's conversions to it shift them by the session "
                + "TimeZone. Make the column 'timestamp with time zone' (drop the HasColumnType, and migrate the column, e.g. "
                + $"ALTER TABLE {table} ALTER COLUMN {column} TYPE timestamp with time zone USING {column} AT TIME ZONE 'UTC' when it "
                + "holds UTC times)"
                + (converterHelps
                    ? ", or keep the column and give the property a value converter of your own that says what its values mean, e.g. "
                        + "for UTC times: HasConversion(v => DateTime.SpecifyKind(v.UtcDateTime, DateTimeKind.Unspecified), "
                        + "v => new DateTimeOffset(v, TimeSpan.Zero))."
                    : "."));
        }
    }

    // "timestamp", "timestamp(3)", "TIMESTAMP WITHOUT TIME ZONE"…, not "timestamptz" or "timestamp with time zone".
    internal static bool IsTimestampWithoutTimeZone(string columnType)
    {
        var normalized = Regex.Replace(Regex.Replace(columnType, @"\(\s*\d+\s*\)", " "), @"\s+", " ").Trim().ToUpperInvariant();
        return normalized is "TIMESTAMP" or "TIMESTAMP WITHOUT TIME ZONE";
    }

    /// <summary>A plain INSERT of a new subscriber at stage 1, with identifiers quoted by the provider.</summary>
    public string BuildInsertSql(ISqlGenerationHelper sql, bool withStageEnteredAt = false)
    {
        var table = EntityType.GetTableName()!;
        var schema = EntityType.GetSchema();
        var store = StoreObjectIdentifier.Table(table, schema);
        string Column(string property) => sql.DelimitIdentifier(EntityType.FindProperty(property)!.GetColumnName(store)!);
        return withStageEnteredAt
            ? $"INSERT INTO {sql.DelimitIdentifier(table, schema)} ({Column(IdProperty)}, {Column(EndProperty)}, {Column(VipEntryPropertyNames.Stage)}, {Column(VipEntryPropertyNames.StageEnteredAt)}) VALUES ({{0}}, {{1}}, {{2}}, {{3}})"
            : $"INSERT INTO {sql.DelimitIdentifier(table, schema)} ({Column(IdProperty)}, {Column(EndProperty)}, {Column(VipEntryPropertyNames.Stage)}) VALUES ({{0}}, {{1}}, {{2}})";
    }

    /// <summary>The value the end property stores for <paramref name="value"/>, through its own converter.</summary>
    public object? ToProviderEnd(DateTimeOffset value)
    {
        var converter = EntityType.FindProperty(EndProperty)!.GetTypeMapping().Converter;
        return converter is null ? value : converter.ConvertToProvider(value);
    }
}
