using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace VipEntry.Core.EfCore;

/// <summary>Where the channel table (R19) lives in a context's model, and its INSERT with the provider's quoting.</summary>
internal sealed class VipEntryChannelMapping
{
    // Resolved once per model (a model belongs to one provider): a store is created per scope.
    private static readonly ConditionalWeakTable<IModel, VipEntryChannelMapping> ByModel = new();

    private VipEntryChannelMapping(string insertSql) => InsertSql = insertSql;

    /// <summary>
    /// The INSERT of a new record for <c>ExecuteSqlRaw</c>, with no claim and version 1; its values, in order: chat, person,
    /// may be inside, ban may stand, links (joined, never <see langword="null"/>), due.
    /// </summary>
    public string InsertSql { get; }

    /// <summary>As <see cref="InsertSql"/> with no links (<c>NULL</c>); its values: chat, person, may be inside, ban may stand, due.</summary>
    public string InsertSqlWithoutLinks { get; private init; } = "";

    /// <summary>The INSERT of a record that holds only a language (no facts, not due); its values: chat, person, false, false, language.</summary>
    public string InsertSqlWithLanguage { get; private init; } = "";

    /// <summary>The claim of a record nobody held as read; its values: claim, lease until, chat, person, version, now.</summary>
    public string ClaimUnheldSql { get; private init; } = "";

    /// <summary>The claim of a record whose lease ran out; its values: as <see cref="ClaimUnheldSql"/>, then the claim as read.</summary>
    public string ClaimHeldSql { get; private init; } = "";

    /// <summary>
    /// The settlement, by whether it writes links (else NULL) and a next due time (else NULL): index links × 2 + due. Its
    /// values: may be inside, ban may stand, the links (joined) and the next due time when written, chat, person, version, claim.
    /// </summary>
    public string[] SettleSql { get; private init; } = [];

    /// <summary>Whether the claim and the settlement are prepared (PostgreSQL, unless the model turned it off; see <see cref="VipEntryPreparedCommand"/>).</summary>
    public bool Prepare { get; private init; }

    public static VipEntryChannelMapping Resolve(DbContext context) =>
        ByModel.TryGetValue(context.Model, out var mapping) ? mapping : ByModel.GetValue(context.Model, _ => Build(context));

    private static VipEntryChannelMapping Build(DbContext context)
    {
        var entityType = context.Model.FindEntityType(typeof(VipEntryChannelEntity));
        if (entityType?.FindAnnotation(VipEntryAnnotations.ChannelFacts) is null)
        {
            throw new InvalidOperationException(
                $"The model of '{context.GetType().Name}' has no VipEntry channel table (R19). It is mapped by the same call as the ritual: "
                + "modelBuilder.AddVipEntrySubscribers() or entity.HasVipEntry(...) in OnModelCreating.");
        }

        RefuseZonelessTimes(context, entityType);
        var sql = context.GetService<ISqlGenerationHelper>();
        var table = entityType.GetTableName()!;
        var schema = entityType.GetSchema();
        var store = StoreObjectIdentifier.Table(table, schema);
        string Column(string property) => sql.DelimitIdentifier(entityType.FindProperty(property)!.GetColumnName(store)!);
        var columns = $"INSERT INTO {sql.DelimitIdentifier(table, schema)} ("
            + $"{Column(nameof(VipEntryChannelEntity.Chat))}, {Column(nameof(VipEntryChannelEntity.PersonId))}, "
            + $"{Column(nameof(VipEntryChannelEntity.MayBeInside))}, {Column(nameof(VipEntryChannelEntity.BanMayStand))}, "
            + $"{Column(nameof(VipEntryChannelEntity.LinksToRevoke))}, {Column(nameof(VipEntryChannelEntity.DueAt))}, "
            + $"{Column(nameof(VipEntryChannelEntity.Claim))}, {Column(nameof(VipEntryChannelEntity.LeaseUntil))}, "
            + $"{Column(nameof(VipEntryChannelEntity.Version))}";
        var head = columns + ") VALUES ({0}, {1}, {2}, {3}, ";

        // The worker's two writes per owed record, each a compare-and-set that takes its row by the key whatever the
        // statistics say (as the ritual's transitions, see EfCoreVipEntryStore.WhereRow): the key is the only condition a
        // planner can match to an index, the rest is one CASE checked on the row. A bulk change not yet analyzed (every
        // member marked due at once) must not make the claim read the due index and filter every due record.
        var update = $"UPDATE {sql.DelimitIdentifier(table, schema)} SET ";
        string ByKey(int chat, int person) =>
            $" WHERE {Column(nameof(VipEntryChannelEntity.Chat))} = {{{chat}}} AND {Column(nameof(VipEntryChannelEntity.PersonId))} = {{{person}}} AND CASE WHEN ";
        const string End = " THEN 1 ELSE 0 END = 1";
        var version = Column(nameof(VipEntryChannelEntity.Version));
        var claim = Column(nameof(VipEntryChannelEntity.Claim));
        var lease = Column(nameof(VipEntryChannelEntity.LeaseUntil));
        var claimHead = update + $"{claim} = {{0}}, {lease} = {{1}}" + ByKey(2, 3) + $"{version} = {{4}} AND ";
        var claimTail = $" AND {Column(nameof(VipEntryChannelEntity.DueAt))} <= {{5}} AND ({claim} IS NULL OR {lease} <= {{5}})" + End;
        return new VipEntryChannelMapping(head + "{4}, {5}, NULL, NULL, 1)")
        {
            InsertSqlWithoutLinks = head + "NULL, {4}, NULL, NULL, 1)",
            InsertSqlWithLanguage = columns + $", {Column(nameof(VipEntryChannelEntity.Language))}) VALUES ({{0}}, {{1}}, {{2}}, {{3}}, NULL, NULL, NULL, NULL, 1, {{4}})",
            ClaimUnheldSql = claimHead + $"{claim} IS NULL" + claimTail,
            ClaimHeldSql = claimHead + $"{claim} = {{6}}" + claimTail,
            SettleSql = [Settle(links: false, due: false), Settle(links: false, due: true), Settle(links: true, due: false), Settle(links: true, due: true)],
            Prepare = context.Database.ProviderName == VipEntryEntityMapping.PostgreSqlProvider
                && entityType.FindAnnotation(VipEntryAnnotations.PrepareStatements)?.Value is not false,
        };

        // A NULL is written as the literal (a raw SQL parameter without a value has no type on every provider).
        string Settle(bool links, bool due)
        {
            var next = 2;
            var text = update
                + $"{Column(nameof(VipEntryChannelEntity.MayBeInside))} = {{0}}, {Column(nameof(VipEntryChannelEntity.BanMayStand))} = {{1}}, "
                + $"{Column(nameof(VipEntryChannelEntity.LinksToRevoke))} = " + (links ? $"{{{next++}}}" : "NULL") + ", "
                + $"{Column(nameof(VipEntryChannelEntity.DueAt))} = " + (due ? $"{{{next++}}}" : "NULL") + ", "
                + $"{version} = {version} + 1, {claim} = NULL, {lease} = NULL";
            return text + ByKey(next, next + 1) + $"{version} = {{{next + 2}}} AND {claim} = {{{next + 3}}}" + End;
        }
    }

    // As for the subscriber table (VipEntryEntityMapping.RefuseZonelessTimes): a host convention that makes the channel
    // table's times PostgreSQL's timestamp without time zone would make every step throw or shift instants.
    private static void RefuseZonelessTimes(DbContext context, IEntityType entityType)
    {
        if (context.Database.ProviderName != VipEntryEntityMapping.PostgreSqlProvider)
        {
            return;
        }

        foreach (var name in (string[])[nameof(VipEntryChannelEntity.DueAt), nameof(VipEntryChannelEntity.LeaseUntil)])
        {
            var property = entityType.FindProperty(name)!;
            var columnType = property.GetColumnType();
            if (VipEntryEntityMapping.IsTimestampWithoutTimeZone(columnType))
            {
                throw new InvalidOperationException(
                    $"VipEntry cannot use the channel table's column '{property.GetColumnName()}' of type '{columnType}' (PostgreSQL's "
                    + "timestamp without time zone, which holds no instant): the store writes and compares UTC instants. Make it "
                    + "'timestamp with time zone' (a model convention of the host's gave it this type).");
            }
        }
    }
}
