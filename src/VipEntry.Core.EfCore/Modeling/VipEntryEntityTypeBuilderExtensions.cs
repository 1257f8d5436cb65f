using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace VipEntry.Core.EfCore;

/// <summary>Adds the ritual to a host's own subscriber entity (e.g. the original bot's <c>vip_subscribers</c>).</summary>
public static class VipEntryEntityTypeBuilderExtensions
{
    /// <summary>
    /// Adds the ritual columns to <typeparamref name="TEntity"/> (as shadow properties unless it declares properties
    /// named as in <see cref="VipEntryPropertyNames"/>), their indexes and the stage check constraint, and marks the
    /// entity type so the EF Core store finds it in <c>context.Model</c>. The host keeps its table, key and column names;
    /// call from <c>OnModelCreating</c>.
    /// </summary>
    /// <typeparam name="TEntity">The host's subscriber entity.</typeparam>
    /// <param name="builder">The entity type builder.</param>
    /// <param name="subscriberId">The subscriber id property (unique; made the key when the entity has none).</param>
    /// <param name="subscriptionEndsAt">The subscription end property; stored as UTC unless it already has a value converter.</param>
    /// <param name="configure">Column and index names; <see cref="VipEntryModelOptions.TableName"/>, <see cref="VipEntryModelOptions.Schema"/> and the id and end column names are not applied to a host entity.</param>
    /// <returns>The same builder.</returns>
    /// <remarks>
    /// <para>
    /// The same call maps VipEntry's own channel table (R19, <see cref="VipEntryModelOptions.ChannelTableName"/>), in the
    /// schema <typeparamref name="TEntity"/> has when it is made (call <c>ToTable</c> with a schema first), with no foreign
    /// key to the host's table: it records people who are not subscribers too. VipEntry's update claims table
    /// (<see cref="VipEntryModelOptions.UpdateClaimsTableName"/>) and payments table (<see cref="VipEntryModelOptions.PaymentsTableName"/>)
    /// are mapped by it too, in the same schema.
    /// </para>
    /// <para>
    /// The stage column defaults to 1 in the database. On a shadow stage property EF Core omits the value on insert, so
    /// every row the host adds starts the ritual at stage 1 (use the state machine's skip for complimentary access). A
    /// CLR stage property must be initialized to 1: its sentinel is 0, so <see langword="null"/> (completed) is inserted as written.
    /// </para>
    /// </remarks>
    public static EntityTypeBuilder<TEntity> HasVipEntry<TEntity>(
        this EntityTypeBuilder<TEntity> builder,
        Expression<Func<TEntity, long>> subscriberId,
        Expression<Func<TEntity, DateTimeOffset>> subscriptionEndsAt,
        Action<VipEntryModelOptions>? configure = null)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(subscriberId);
        ArgumentNullException.ThrowIfNull(subscriptionEndsAt);
        return builder.HasVipEntry(subscriberId, subscriptionEndsAt, VipEntryModelOptions.Create(configure));
    }

    internal static EntityTypeBuilder<TEntity> HasVipEntry<TEntity>(
        this EntityTypeBuilder<TEntity> builder,
        Expression<Func<TEntity, long>> subscriberId,
        Expression<Func<TEntity, DateTimeOffset>> subscriptionEndsAt,
        VipEntryModelOptions o)
        where TEntity : class
    {
        var id = builder.Property(subscriberId).ValueGeneratedNever();
        var end = builder.Property(subscriptionEndsAt);
        if (end.Metadata.GetValueConverter() is null)
        {
            end.HasConversion(UtcDateTimeOffsetConverter.Instance);
        }

        var idName = id.Metadata.Name;
        var endName = end.Metadata.Name;
        var key = builder.Metadata.FindPrimaryKey();
        if (key is null)
        {
            builder.HasKey(idName);
        }
        else if (key.Properties.Count != 1 || key.Properties[0].Name != idName)
        {
            builder.HasIndex(idName).IsUnique();
        }

        var stage = builder.Property<int?>(VipEntryPropertyNames.Stage).HasColumnName(o.StageColumn).HasDefaultValue(1);
        if (!stage.Metadata.IsShadowProperty())
        {
            // The trap: with HasDefaultValue(1) and the CLR default as sentinel, EF would never insert NULL.
            stage.HasSentinel(0);
        }

        builder.Property<string?>(VipEntryPropertyNames.TokenHash).HasColumnName(o.TokenHashColumn).HasMaxLength(64).IsUnicode(false);
        builder.Property<DateTimeOffset?>(VipEntryPropertyNames.IssuedAt).HasColumnName(o.IssuedAtColumn).HasConversion(UtcDateTimeOffsetConverter.Instance);
        builder.Property<string?>(VipEntryPropertyNames.InviteLink).HasColumnName(o.InviteLinkColumn).HasMaxLength(VipEntryPropertyNames.MaxInviteLinkLength);
        builder.Property<DateTimeOffset?>(VipEntryPropertyNames.LapseHandledAt).HasColumnName(o.LapseHandledAtColumn).HasConversion(UtcDateTimeOffsetConverter.Instance);
        builder.Property<string?>(VipEntryPropertyNames.LapseClaim).HasColumnName(o.LapseClaimColumn).HasMaxLength(VipEntryPropertyNames.LapseClaimLength).IsUnicode(false);
        builder.Property<DateTimeOffset?>(VipEntryPropertyNames.LapseLeaseUntil).HasColumnName(o.LapseLeaseUntilColumn).HasConversion(UtcDateTimeOffsetConverter.Instance);
        builder.Property<string?>(VipEntryPropertyNames.LapseLink).HasColumnName(o.LapseLinkColumn).HasMaxLength(VipEntryPropertyNames.MaxInviteLinkLength);
        builder.Property<DateTimeOffset?>(VipEntryPropertyNames.StageEnteredAt).HasColumnName(o.StageEnteredAtColumn).HasConversion(UtcDateTimeOffsetConverter.Instance);
        builder.Property<DateTimeOffset?>(VipEntryPropertyNames.StageNudgedAt).HasColumnName(o.StageNudgedAtColumn).HasConversion(UtcDateTimeOffsetConverter.Instance);
        builder.Property<DateTimeOffset?>(VipEntryPropertyNames.GrantNudgedAt).HasColumnName(o.GrantNudgedAtColumn).HasConversion(UtcDateTimeOffsetConverter.Instance);

        builder.HasIndex(VipEntryPropertyNames.Stage).HasDatabaseName(o.StageIndexName);
        builder.HasIndex(VipEntryPropertyNames.TokenHash).IsUnique().HasDatabaseName(o.TokenHashIndexName);
        builder.HasIndex(VipEntryPropertyNames.InviteLink).IsUnique().HasDatabaseName(o.InviteLinkIndexName);
        builder.HasIndex(VipEntryPropertyNames.LapseHandledAt, endName).HasDatabaseName(o.LapseIndexName);

        // The constraint's SQL is emitted verbatim, so the column is delimited here, the standard way (a doubled quote
        // inside double quotes), which SQLite, PostgreSQL and SQL Server (QUOTED_IDENTIFIER ON, as its clients set it)
        // all read; the provider's own quoting is not reachable from OnModelCreating. Same quoting as VipEntrySql.
        var stageSql = "\"" + o.StageColumn.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        builder.ToTable(t => t.HasCheckConstraint(o.StageCheckConstraintName, $"{stageSql} IN (1, 2, 3)"));

        builder.HasAnnotation(VipEntryAnnotations.SubscriberIdProperty, idName);
        builder.HasAnnotation(VipEntryAnnotations.SubscriptionEndProperty, endName);
        if (!o.PrepareStatements)
        {
            builder.HasAnnotation(VipEntryAnnotations.PrepareStatements, false);
        }

        // The channel facts of R19 live in VipEntry's own table, mapped by this same call, in the schema the subscriber
        // table has been given so far (none: the model's default schema, as for the subscriber table).
        var schema = builder.Metadata.FindAnnotation(RelationalAnnotationNames.Schema)?.Value as string;
#pragma warning disable EF1001 // ModelBuilder(IMutableModel) is marked internal to EF Core, yet it is the only way from an
        // EntityTypeBuilder to the fluent API of the model it belongs to; it only wraps the model's own builder. The
        // alternatives (the mutable metadata API by hand, or the convention builders) would configure the table differently
        // from AddVipEntrySubscribers or at a weaker configuration source.
        var modelBuilder = new ModelBuilder(builder.Metadata.Model);
        VipEntryChannelModel.Configure(modelBuilder, o, schema);
        VipEntryUpdateClaimModel.Configure(modelBuilder, o, schema);
        VipEntryPaymentModel.Configure(modelBuilder, o, schema);
#pragma warning restore EF1001
        return builder;
    }
}
