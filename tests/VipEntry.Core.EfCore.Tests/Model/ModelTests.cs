using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Model;

/// <summary>Reads <c>context.Model</c>: names, types, indexes, constraints and the annotations the store relies on.</summary>
public sealed class ModelTests : IDisposable
{
    private readonly SqliteDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private TContext Create<TContext>(Func<DbContextOptions<TContext>, TContext> factory)
        where TContext : DbContext =>
        factory(new DbContextOptionsBuilder<TContext>().UseSqlite(_db.ConnectionString).Options);

    private static StoreObjectIdentifier Table(IEntityType t) => StoreObjectIdentifier.Table(t.GetTableName()!, t.GetSchema());

    private static string Column(IEntityType t, string property) => t.FindProperty(property)!.GetColumnName(Table(t))!;

    [Fact]
    public void Ready_made_entity_has_the_original_bots_schema()
    {
        using var context = Create<ReadyMadeContext>(o => new ReadyMadeContext(o));
        var t = context.Model.FindEntityType(typeof(VipEntrySubscriber))!;
        Assert.Equal("vip_subscribers", t.GetTableName());
        Assert.Null(t.GetSchema());
        Assert.Equal("user_id", Column(t, nameof(VipEntrySubscriber.UserId)));
        Assert.Equal("expires_at", Column(t, nameof(VipEntrySubscriber.ExpiresAt)));
        Assert.Equal("vip_entry_stage", Column(t, VipEntryPropertyNames.Stage));
        Assert.Equal("vip_entry_token", Column(t, VipEntryPropertyNames.TokenHash));
        Assert.Equal("invite_link_sent_at", Column(t, VipEntryPropertyNames.IssuedAt));
        Assert.Equal("vip_entry_invite_link", Column(t, VipEntryPropertyNames.InviteLink));
        Assert.Equal("vip_entry_lapse_handled_at", Column(t, VipEntryPropertyNames.LapseHandledAt));
        Assert.Equal([nameof(VipEntrySubscriber.UserId)], t.FindPrimaryKey()!.Properties.Select(p => p.Name));
        Assert.Equal(ValueGenerated.Never, t.FindProperty(nameof(VipEntrySubscriber.UserId))!.ValueGenerated);

        var stage = t.FindProperty(VipEntryPropertyNames.Stage)!;
        Assert.True(stage.IsNullable);
        Assert.Equal(1, stage.GetDefaultValue());
        Assert.Equal(0, stage.Sentinel);
        var token = t.FindProperty(VipEntryPropertyNames.TokenHash)!;
        Assert.Equal(64, token.GetMaxLength());
        Assert.True(token.IsNullable);
        Assert.Equal(VipEntryPropertyNames.MaxInviteLinkLength, t.FindProperty(VipEntryPropertyNames.InviteLink)!.GetMaxLength());
    }

    [Fact]
    public void Indexes_and_the_stage_check_constraint_are_in_the_model()
    {
        using var context = Create<ReadyMadeContext>(o => new ReadyMadeContext(o));
        var t = context.Model.FindEntityType(typeof(VipEntrySubscriber))!;
        var indexes = t.GetIndexes().ToDictionary(i => i.GetDatabaseName(Table(t))!);
        Assert.Equal(["idx_vip_entry_invite_link", "idx_vip_entry_lapse", "idx_vip_entry_stage", "idx_vip_entry_token"], indexes.Keys.Order());
        Assert.False(indexes["idx_vip_entry_stage"].IsUnique);
        Assert.Equal([VipEntryPropertyNames.Stage], indexes["idx_vip_entry_stage"].Properties.Select(p => p.Name));
        Assert.True(indexes["idx_vip_entry_token"].IsUnique);
        Assert.True(indexes["idx_vip_entry_invite_link"].IsUnique);
        Assert.Equal([VipEntryPropertyNames.LapseHandledAt, nameof(VipEntrySubscriber.ExpiresAt)], indexes["idx_vip_entry_lapse"].Properties.Select(p => p.Name));

        var check = Assert.Single(context.GetService<IDesignTimeModel>().Model.FindEntityType(typeof(VipEntrySubscriber))!.GetCheckConstraints());
        Assert.Equal("ck_vip_entry_stage", check.Name);
        Assert.Equal("\"vip_entry_stage\" IN (1, 2, 3)", check.Sql);
    }

    [Fact]
    public void Times_are_stored_as_utc_datetime_on_every_time_column()
    {
        using var context = Create<ReadyMadeContext>(o => new ReadyMadeContext(o));
        var t = context.Model.FindEntityType(typeof(VipEntrySubscriber))!;
        foreach (var name in new[] { nameof(VipEntrySubscriber.ExpiresAt), VipEntryPropertyNames.IssuedAt, VipEntryPropertyNames.LapseHandledAt })
        {
            var converter = t.FindProperty(name)!.GetTypeMapping().Converter;
            Assert.NotNull(converter);
            Assert.Equal(typeof(DateTime), converter.ProviderClrType);
            var stored = (DateTime)converter.ConvertToProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.FromHours(3)).AddTicks(17))!;
            Assert.Equal(DateTimeKind.Utc, stored.Kind);
            Assert.Equal(new DateTime(2030, 1, 1, 9, 0, 0, DateTimeKind.Utc).AddTicks(10), stored);
        }
    }

    [Fact]
    public void Host_entity_keeps_its_table_and_gets_shadow_ritual_columns_and_the_store_annotations()
    {
        using var context = Create<LegacyBotContext>(o => new LegacyBotContext(o));
        var t = context.Model.FindEntityType(typeof(LegacySubscriber))!;
        Assert.Equal("vip_subscribers", t.GetTableName());
        Assert.Equal("username", Column(t, nameof(LegacySubscriber.Username)));
        foreach (var name in new[] { VipEntryPropertyNames.Stage, VipEntryPropertyNames.TokenHash, VipEntryPropertyNames.IssuedAt, VipEntryPropertyNames.InviteLink, VipEntryPropertyNames.LapseHandledAt })
        {
            Assert.True(t.FindProperty(name)!.IsShadowProperty(), name);
        }

        // A shadow stage keeps the null sentinel: EF omits it on insert and the column default (1) applies.
        Assert.Null(t.FindProperty(VipEntryPropertyNames.Stage)!.Sentinel);
        Assert.Equal("UserId", t.FindAnnotation("VipEntry:SubscriberIdProperty")!.Value);
        Assert.Equal("ExpiresAt", t.FindAnnotation("VipEntry:SubscriptionEndProperty")!.Value);
        Assert.Equal("vip_entry_stage", Column(t, VipEntryPropertyNames.Stage));
    }

    [Fact]
    public void Every_name_and_the_schema_can_be_overridden()
    {
        using var context = Create<CustomNamesContext>(o => new CustomNamesContext(o));
        var t = context.Model.FindEntityType(typeof(VipEntrySubscriber))!;
        Assert.Equal("members", t.GetTableName());
        Assert.Equal("bot", t.GetSchema());
        Assert.Equal("member_id", Column(t, nameof(VipEntrySubscriber.UserId)));
        Assert.Equal("paid_until", Column(t, nameof(VipEntrySubscriber.ExpiresAt)));
        Assert.Equal("ritual_stage", Column(t, VipEntryPropertyNames.Stage));
        Assert.Equal("ritual_token_sha256", Column(t, VipEntryPropertyNames.TokenHash));
        Assert.Equal("ritual_issued_at", Column(t, VipEntryPropertyNames.IssuedAt));
        Assert.Equal("ritual_link", Column(t, VipEntryPropertyNames.InviteLink));
        Assert.Equal("ritual_lapse_at", Column(t, VipEntryPropertyNames.LapseHandledAt));
        Assert.Equal(["ix_lapse", "ix_stage", "ux_link", "ux_token"], t.GetIndexes().Select(i => i.GetDatabaseName(Table(t))!).Order());
        var check = Assert.Single(context.GetService<IDesignTimeModel>().Model.FindEntityType(typeof(VipEntrySubscriber))!.GetCheckConstraints());
        Assert.Equal("ck_stage", check.Name);
        Assert.Equal("\"ritual_stage\" IN (1, 2, 3)", check.Sql);
    }

    [Fact]
    public void R19_channel_table_is_mapped_by_the_same_call_for_the_ready_made_and_the_host_entity()
    {
        using var readyMade = Create<ReadyMadeContext>(o => new ReadyMadeContext(o));
        using var host = Create<LegacyBotContext>(o => new LegacyBotContext(o));
        foreach (var model in new[] { readyMade.Model, host.Model })
        {
            var t = model.FindEntityType(typeof(VipEntryChannelEntity))!;
            Assert.NotNull(t);
            Assert.Equal(true, t.FindAnnotation("VipEntry:ChannelFacts")!.Value);
            Assert.Equal("vip_entry_channel", t.GetTableName());
            Assert.Null(t.GetSchema());
            Assert.Equal(
                ["chat", "user_id", "may_be_inside", "ban_may_stand", "links_to_revoke", "due_at", "claim", "lease_until", "version", "language"],
                ChannelProperties.Select(p => Column(t, p)));
            var key = t.FindPrimaryKey()!;
            Assert.Equal([nameof(VipEntryChannelEntity.Chat), nameof(VipEntryChannelEntity.PersonId)], key.Properties.Select(p => p.Name));
            Assert.Equal("pk_vip_entry_channel", key.GetName());
            Assert.Equal(ValueGenerated.Never, t.FindProperty(nameof(VipEntryChannelEntity.PersonId))!.ValueGenerated);

            var chat = t.FindProperty(nameof(VipEntryChannelEntity.Chat))!;
            Assert.Equal(64, chat.GetMaxLength());
            Assert.False(chat.IsUnicode());
            Assert.False(chat.IsNullable);
            var claim = t.FindProperty(nameof(VipEntryChannelEntity.Claim))!;
            Assert.Equal(32, claim.GetMaxLength());
            Assert.False(claim.IsUnicode());
            Assert.True(claim.IsNullable);
            var language = t.FindProperty(nameof(VipEntryChannelEntity.Language))!;
            Assert.Equal(16, language.GetMaxLength());
            Assert.False(language.IsUnicode());
            Assert.True(language.IsNullable);
            Assert.Null(t.FindProperty(nameof(VipEntryChannelEntity.LinksToRevoke))!.GetMaxLength());
            Assert.True(t.FindProperty(nameof(VipEntryChannelEntity.LinksToRevoke))!.IsNullable);
            foreach (var required in new[] { nameof(VipEntryChannelEntity.MayBeInside), nameof(VipEntryChannelEntity.BanMayStand), nameof(VipEntryChannelEntity.Version) })
            {
                Assert.False(t.FindProperty(required)!.IsNullable, required);
            }

            foreach (var time in new[] { nameof(VipEntryChannelEntity.DueAt), nameof(VipEntryChannelEntity.LeaseUntil) })
            {
                Assert.True(t.FindProperty(time)!.IsNullable, time);
                Assert.IsType<UtcDateTimeOffsetConverter>(t.FindProperty(time)!.GetTypeMapping().Converter);
            }

            var index = Assert.Single(t.GetIndexes());
            Assert.Equal("idx_vip_entry_channel_due", index.GetDatabaseName(Table(t)));
            Assert.False(index.IsUnique);
            Assert.Equal([nameof(VipEntryChannelEntity.Chat), nameof(VipEntryChannelEntity.DueAt)], index.Properties.Select(p => p.Name));

            // Its own table: no relationship either way (intruders are no subscribers).
            Assert.Empty(t.GetForeignKeys());
            Assert.Empty(t.GetReferencingForeignKeys());
        }
    }

    [Fact]
    public void R19_every_channel_name_can_be_overridden_and_the_table_follows_the_subscriber_schema()
    {
        using var context = Create<CustomNamesContext>(o => new CustomNamesContext(o));
        var t = context.Model.FindEntityType(typeof(VipEntryChannelEntity))!;
        Assert.Equal("channel_facts", t.GetTableName());
        Assert.Equal("bot", t.GetSchema());
        Assert.Equal(
            ["chat_key", "person_id", "maybe_in", "banned", "stale_links", "next_look_at", "worker", "worker_until", "revision", "lang"],
            ChannelProperties.Select(p => Column(t, p)));
        Assert.Equal("pk_channel_facts", t.FindPrimaryKey()!.GetName());
        Assert.Equal("ix_channel_due", Assert.Single(t.GetIndexes()).GetDatabaseName(Table(t)));
    }

    [Fact]
    public void R19_a_host_entity_in_a_schema_of_its_own_gets_the_channel_table_in_that_schema()
    {
        using var context = VariantContext.Create(
            o => o.UseNpgsql("Host=127.0.0.1;Database=never_opened"),
            "r19:host-schema",
            m => m.Entity<LegacySubscriber>(b =>
            {
                b.ToTable("subscribers", "legacy");
                b.HasKey(x => x.UserId);
                b.HasVipEntry(x => x.UserId, x => x.ExpiresAt, o => o.ChannelTableName = "legacy_channel");
            }));
        var t = context.Model.FindEntityType(typeof(VipEntryChannelEntity))!;
        Assert.Equal("legacy_channel", t.GetTableName());
        Assert.Equal("legacy", t.GetSchema());
        Assert.Equal("subscribers", context.Model.FindEntityType(typeof(LegacySubscriber))!.GetTableName());
    }

    [Fact]
    public void R19_empty_channel_names_and_a_channel_table_named_as_the_subscriber_table_are_rejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => new ModelBuilder().AddVipEntrySubscribers(o => o.ChannelTableName = ""));
        Assert.ThrowsAny<ArgumentException>(() => new ModelBuilder().AddVipEntrySubscribers(o => o.ChannelDueAtColumn = " "));
        Assert.ThrowsAny<ArgumentException>(() => new ModelBuilder().AddVipEntrySubscribers(o => o.ChannelDueIndexName = " "));
        Assert.ThrowsAny<ArgumentException>(() => new ModelBuilder().AddVipEntrySubscribers(o => o.ChannelTableName = o.TableName));
    }

    [Fact]
    public async Task R19_the_created_sqlite_table_has_the_channel_columns_and_key()
    {
        await using (var context = Create<LegacyBotContext>(o => new LegacyBotContext(o)))
        {
            await context.Database.EnsureCreatedAsync();
        }

        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, type, \"notnull\", pk FROM pragma_table_info('vip_entry_channel') ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync();
        var columns = new List<string>();
        while (await reader.ReadAsync())
        {
            columns.Add($"{reader.GetString(0)} {reader.GetString(1)} {(reader.GetInt64(2) == 1 ? "not null" : "null")} pk{reader.GetInt64(3)}");
        }

        Assert.Equal(
            [
                "ban_may_stand INTEGER not null pk0", "chat TEXT not null pk1", "claim TEXT null pk0", "due_at TEXT null pk0",
                "language TEXT null pk0", "lease_until TEXT null pk0", "links_to_revoke TEXT null pk0", "may_be_inside INTEGER not null pk0",
                "user_id INTEGER not null pk2", "version INTEGER not null pk0",
            ],
            columns);
    }

    private static readonly string[] ChannelProperties =
    [
        nameof(VipEntryChannelEntity.Chat), nameof(VipEntryChannelEntity.PersonId), nameof(VipEntryChannelEntity.MayBeInside),
        nameof(VipEntryChannelEntity.BanMayStand), nameof(VipEntryChannelEntity.LinksToRevoke), nameof(VipEntryChannelEntity.DueAt),
        nameof(VipEntryChannelEntity.Claim), nameof(VipEntryChannelEntity.LeaseUntil), nameof(VipEntryChannelEntity.Version),
        nameof(VipEntryChannelEntity.Language),
    ];

    [Fact]
    public void Empty_names_are_rejected_when_the_model_is_built()
    {
        var builder = new ModelBuilder();
        Assert.ThrowsAny<ArgumentException>(() => builder.AddVipEntrySubscribers(o => o.StageColumn = " "));
    }

    [Fact]
    public async Task Sentinel_trap_ready_made_entity_can_insert_null_and_defaults_to_stage1()
    {
        await using (var context = Create<ReadyMadeContext>(o => new ReadyMadeContext(o)))
        {
            await context.Database.EnsureCreatedAsync();
            context.Add(new VipEntrySubscriber { UserId = 1, ExpiresAt = DateTimeOffset.UtcNow.AddDays(1), VipEntryStage = null });
            context.Add(new VipEntrySubscriber { UserId = 2, ExpiresAt = DateTimeOffset.UtcNow.AddDays(1) });
            context.Add(new VipEntrySubscriber { UserId = 3, ExpiresAt = DateTimeOffset.UtcNow.AddDays(1), VipEntryStage = 2 });
            await context.SaveChangesAsync();
        }

        Assert.Equal([(1L, (long?)null), (2L, 1L), (3L, 2L)], await ReadStagesAsync());
    }

    [Fact]
    public async Task Sentinel_trap_host_rows_added_with_savechanges_start_at_stage1_by_the_column_default()
    {
        await using (var context = Create<LegacyBotContext>(o => new LegacyBotContext(o)))
        {
            await context.Database.EnsureCreatedAsync();
            context.Add(new LegacySubscriber { UserId = 5, Username = "ana", ExpiresAt = DateTimeOffset.UtcNow.AddDays(1) });
            await context.SaveChangesAsync();
        }

        Assert.Equal([(5L, (long?)1L)], await ReadStagesAsync());
    }

    [Fact]
    public async Task Stage_check_constraint_rejects_values_outside_the_ritual()
    {
        await using var context = Create<ReadyMadeContext>(o => new ReadyMadeContext(o));
        await context.Database.EnsureCreatedAsync();
        context.Add(new VipEntrySubscriber { UserId = 1, ExpiresAt = DateTimeOffset.UtcNow, VipEntryStage = 4 });
        await Assert.ThrowsAsync<DbUpdateException>(() => context.SaveChangesAsync());
    }

    private async Task<List<(long, long?)>> ReadStagesAsync()
    {
        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT user_id, vip_entry_stage FROM vip_subscribers ORDER BY user_id";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, long?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
        }

        return rows;
    }
}
