using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql;
using NpgsqlTypes;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore.Tests.Defects;

/// <summary>
/// Defect 10: a host whose subscription-end column (or a ritual time column) is PostgreSQL's
/// <c>timestamp without time zone</c>, like the original bot's SQLAlchemy <c>DateTime</c>. The store's UTC converter
/// hands Npgsql <see cref="DateTime"/>s of kind UTC: every compare-and-set threw (Npgsql refuses them for that type), the
/// host's own SaveChanges threw, and the ready-made entity's raw INSERT stored the end shifted by the session TimeZone.
/// The store now refuses such a mapping when it is created, saying what to do; a converter of the host's own is trusted.
/// </summary>
public sealed class Defect10TimestampWithoutTimeZoneTests
{
    private const string MexicoCity = "America/Mexico_City"; // UTC-6 all year since 2022: a shift would show.
    private const string Hash = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
    private static readonly DateTimeOffset End = new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(10);
    private static readonly TimeSpan Microsecond = TimeSpan.FromTicks(10);

    public enum Entity
    {
        /// <summary>The host's own <see cref="LegacySubscriber"/> with <c>HasVipEntry</c>; the host inserts rows.</summary>
        Host,

        /// <summary>The ready-made <see cref="VipEntrySubscriber"/>; the store inserts rows (one raw INSERT).</summary>
        ReadyMade,
    }

    public static TheoryData<Entity, string?, string, string, string> Refused => new()
    {
        // entity, ritual property overridden (null: the end), column type, "Entity.Property", column
        { Entity.Host, null, "timestamp without time zone", "LegacySubscriber.ExpiresAt", "expires_at" },
        { Entity.ReadyMade, null, "timestamp", "VipEntrySubscriber.ExpiresAt", "expires_at" },
        { Entity.Host, VipEntryPropertyNames.IssuedAt, "timestamp(3) without time zone", "LegacySubscriber.VipEntryIssuedAt", "invite_link_sent_at" },
        { Entity.ReadyMade, VipEntryPropertyNames.LapseHandledAt, "TIMESTAMP WITHOUT TIME ZONE", "VipEntrySubscriber.VipEntryLapseHandledAt", "vip_entry_lapse_handled_at" },
        { Entity.Host, VipEntryPropertyNames.LapseLeaseUntil, "timestamp (6)", "LegacySubscriber.VipEntryLapseLeaseUntil", "vip_entry_lapse_lease_until" },
    };

    public static TheoryData<Entity, string?> Accepted => new()
    {
        { Entity.Host, "timestamp with time zone" },
        { Entity.ReadyMade, "timestamptz" },
        { Entity.Host, "TIMESTAMP(6) WITH TIME ZONE" },
    };

    public static TheoryData<DatabaseEngine, Entity, string?, bool> Exact => new()
    {
        // engine, entity, end column type (null: the provider's default), the host's own converter on the end
        { DatabaseEngine.Postgres, Entity.Host, null, false },
        { DatabaseEngine.Postgres, Entity.ReadyMade, null, false },
        { DatabaseEngine.Postgres, Entity.Host, "timestamp without time zone", true },
        { DatabaseEngine.Sqlite, Entity.Host, "timestamp without time zone", false }, // only a declared type on SQLite
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Defect10_a_timestamp_without_time_zone_column_is_refused_when_the_store_is_created(Entity entity, string? ritualProperty, string columnType, string property, string column)
    {
        // A model check: the PostgreSQL provider is configured, never connected to.
        using var context = VariantContext.Create(o => o.UseNpgsql("Host=127.0.0.1;Database=never_opened"), Variant(entity, ritualProperty, columnType, false), Mapping(entity, ritualProperty, columnType, false));
        var error = Assert.Throws<InvalidOperationException>(() => Store(context, entity));
        Assert.Contains($"'{property}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"column \"{column}\" of table \"vip_subscribers\"", error.Message, StringComparison.Ordinal);

        // The type as the model has it (Npgsql may spell out what the host wrote, e.g. "timestamp(3) without time zone").
        var modelType = context.Model.FindEntityType(entity == Entity.Host ? typeof(LegacySubscriber) : typeof(VipEntrySubscriber))!
            .FindProperty(property[(property.IndexOf('.', StringComparison.Ordinal) + 1)..])!.GetColumnType();
        Assert.StartsWith(columnType[..9], modelType, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"type '{modelType}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Make the column 'timestamp with time zone'", error.Message, StringComparison.Ordinal);

        // A converter of the host's own is the other way out, except for the ready-made entity's end, which the store's
        // raw INSERT writes with a parameter typed by its CLR type (timestamp with time zone).
        var converterHelps = !(entity == Entity.ReadyMade && ritualProperty is null);
        Assert.Equal(converterHelps, error.Message.Contains("HasConversion(", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(nameof(VipEntryChannelEntity.DueAt), "due_at")]
    [InlineData(nameof(VipEntryChannelEntity.LeaseUntil), "lease_until")]
    public void Defect10_R19_a_zoneless_time_column_of_the_channel_table_is_refused_when_the_channel_store_is_created(string property, string column)
    {
        // Only a host convention (or a mapping by type) could give VipEntry's own table such a column; refused all the same.
        using var context = VariantContext.Create(
            o => o.UseNpgsql("Host=127.0.0.1;Database=never_opened"),
            $"defect10:r19:{property}",
            m =>
            {
                m.AddVipEntrySubscribers();
                m.Entity<VipEntryChannelEntity>().Property(property).HasColumnType("timestamp without time zone");
            });
        var error = Assert.Throws<InvalidOperationException>(() => new EfCoreVipEntryChannelStore<VariantContext>(context));
        Assert.Contains($"'{column}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'timestamp with time zone'", error.Message, StringComparison.Ordinal);

        using var fine = VariantContext.Create(o => o.UseNpgsql("Host=127.0.0.1;Database=never_opened"), "defect10:r19:fine", m => m.AddVipEntrySubscribers());
        Assert.NotNull(new EfCoreVipEntryChannelStore<VariantContext>(fine));
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Defect10_timestamp_with_time_zone_types_are_accepted(Entity entity, string? columnType)
    {
        using var context = VariantContext.Create(o => o.UseNpgsql("Host=127.0.0.1;Database=never_opened"), Variant(entity, null, columnType, false), Mapping(entity, null, columnType, false));
        Assert.NotNull(Store(context, entity));
    }

    [Theory]
    [MemberData(nameof(Exact))]
    public async Task Defect10_accepted_mappings_compare_to_the_microsecond_whatever_the_session_time_zone(DatabaseEngine engine, Entity entity, string? endType, bool hostConverter)
    {
        await using var database = await ScratchDatabase.CreateAsync(engine, "defect10", MexicoCity);
        await using var context = VariantContext.Create(database, Variant(entity, null, endType, hostConverter), Mapping(entity, null, endType, hostConverter));
        Assert.True(await context.Database.EnsureCreatedAsync());
        var store = Store(context, entity);
        if (entity == Entity.Host)
        {
            context.Add(new LegacySubscriber { UserId = 1, Username = "member1", ExpiresAt = End.ToOffset(TimeSpan.FromHours(9)) });
            Assert.Equal(1, await context.SaveChangesAsync());
        }
        else
        {
            Assert.True(await store.TryCreateAsync(1, End.ToOffset(TimeSpan.FromHours(9))));
        }

        // The column holds the instant's UTC time, not the session's local time.
        if (engine == DatabaseEngine.Postgres)
        {
            var sql = endType is null
                ? "SELECT (expires_at AT TIME ZONE 'UTC')::text AS \"Value\" FROM vip_subscribers"
                : "SELECT expires_at::text AS \"Value\" FROM vip_subscribers";
            Assert.Equal("2030-01-01 12:00:00.000001", await context.Database.SqlQueryRaw<string>(sql).SingleAsync());
        }

        Assert.Equal(End, (await store.FindAsync(1))!.SubscriptionEndsAt);

        // "Subscription still running" is end > now, exact to the microsecond.
        Assert.False(await store.TryAdvanceAsync(1, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, End));
        Assert.True(await store.TryAdvanceAsync(1, VipEntryStage.ActivationConfirmation, VipEntryStage.ExpectationAlignment, End - Microsecond));
        Assert.True(await store.TryAdvanceAsync(1, VipEntryStage.ExpectationAlignment, VipEntryStage.AccessDelivery, End - Microsecond));
        Assert.Empty(await store.ListClaimableLapsesAsync(End - Microsecond, 10));
        Assert.Equal([1L], (await store.ListClaimableLapsesAsync(End, 10)).Select(r => r.SubscriberId));
        Assert.Equal(1, (await store.CountByStageAsync(End - Microsecond))[VipEntryStage.AccessDelivery]);

        // A ritual time column (the grant's issue time) compares exactly too.
        var issued = End - TimeSpan.FromHours(1);
        Assert.True(await store.TryIssueGrantAsync(1, VipEntryStage.AccessDelivery, null, Hash, issued, issued));
        Assert.Equal(issued, (await store.FindAsync(1))!.GrantIssuedAt);
        Assert.False(await store.TryRedeemAsync(1, VipEntryStage.AccessDelivery, Hash, issued, issuedAfter: issued));
        Assert.True(await store.TryRedeemAsync(1, VipEntryStage.AccessDelivery, Hash, issued, issuedAfter: issued - Microsecond));
        Assert.Equal(VipEntryStage.Completed, (await store.FindAsync(1))!.Stage);
    }

    /// <summary>Why the mapping is refused: what PostgreSQL and Npgsql do with a UTC instant and a zoneless column.</summary>
    [Fact]
    public async Task Defect10_postgres_refuses_or_shifts_utc_instants_in_a_timestamp_without_time_zone_column()
    {
        await using var database = await ScratchDatabase.CreateAsync(DatabaseEngine.Postgres, "defect10", MexicoCity);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE t (at timestamp without time zone)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var utc = UtcDateTimeOffsetConverter.ToUtcDateTime(End);

        // Typed as the column, as EF Core sends the store's compare-and-set values: Npgsql refuses a UTC DateTime.
        await using (var typed = new NpgsqlCommand("SELECT count(*) FROM t WHERE at > @now", connection))
        {
            typed.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.Timestamp) { Value = utc });
            var refused = await Assert.ThrowsAsync<ArgumentException>(() => typed.ExecuteScalarAsync());
            Assert.Contains("Kind=UTC", refused.Message, StringComparison.Ordinal);
        }

        // Untyped, as the ready-made entity's raw INSERT sent it: a timestamptz, cast at the session TimeZone.
        await using (var insert = new NpgsqlCommand("INSERT INTO t (at) VALUES (@end)", connection))
        {
            insert.Parameters.AddWithValue("end", utc);
            await insert.ExecuteNonQueryAsync();
        }

        await using var read = new NpgsqlCommand("SELECT at::text FROM t", connection);
        Assert.Equal("2030-01-01 06:00:00.000001", await read.ExecuteScalarAsync()); // six hours early
    }

    private static IVipEntryStore Store(VariantContext context, Entity entity) => entity == Entity.Host
        ? new EfCoreVipEntryStore<VariantContext, LegacySubscriber>(context, canInsert: false)
        : new EfCoreVipEntryStore<VariantContext, VipEntrySubscriber>(context, canInsert: true);

    private static string Variant(Entity entity, string? ritualProperty, string? columnType, bool hostConverter) =>
        $"defect10:{entity}:{ritualProperty}:{columnType}:{hostConverter}";

    // The end (or, with ritualProperty, that ritual time property) gets columnType; hostConverter gives the end a converter
    // of the host's own that stores UTC wall-clock time (the one the refusal suggests).
    private static Action<ModelBuilder> Mapping(Entity entity, string? ritualProperty, string? columnType, bool hostConverter) => m =>
    {
        void Configure<TEntity>(EntityTypeBuilder<TEntity> b, PropertyBuilder<DateTimeOffset> end)
            where TEntity : class
        {
            if (ritualProperty is null && columnType is not null)
            {
                end.HasColumnType(columnType);
            }

            if (hostConverter)
            {
                end.HasConversion(v => DateTime.SpecifyKind(v.UtcDateTime, DateTimeKind.Unspecified), v => new DateTimeOffset(v, TimeSpan.Zero));
            }

            if (ritualProperty is not null)
            {
                b.Property<DateTimeOffset?>(ritualProperty).HasColumnType(columnType);
            }
        }

        if (entity == Entity.Host)
        {
            m.Entity<LegacySubscriber>(b =>
            {
                b.ToTable("vip_subscribers");
                b.HasKey(x => x.UserId);
                b.Property(x => x.UserId).HasColumnName("user_id");
                b.Property(x => x.Username).HasColumnName("username").HasMaxLength(64);
                b.HasVipEntry(x => x.UserId, x => x.ExpiresAt);
                Configure(b, b.Property(x => x.ExpiresAt).HasColumnName("expires_at"));
            });
        }
        else
        {
            m.AddVipEntrySubscribers();
            m.Entity<VipEntrySubscriber>(b => Configure(b, b.Property(x => x.ExpiresAt)));
        }
    };
}
