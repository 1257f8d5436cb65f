namespace VipEntry.Core.EfCore;

/// <summary>
/// Table, schema, column and index names of the ritual. Passed when the model is built (in
/// <c>OnModelCreating</c>) and to the migration helpers and SQL scripts; never read from DI, because EF Core
/// caches the model per context type. Defaults are the original bot's schema.
/// </summary>
public sealed class VipEntryModelOptions
{
    /// <summary>The table. Default <c>vip_subscribers</c>. Used by the ready-made entity, the migration helpers and the scripts; a host entity keeps its own table.</summary>
    public string TableName { get; set; } = "vip_subscribers";

    /// <summary>The schema, or <see langword="null"/> for the default schema.</summary>
    public string? Schema { get; set; }

    /// <summary>The subscriber id (primary key) column. Default <c>user_id</c>.</summary>
    public string SubscriberIdColumn { get; set; } = "user_id";

    /// <summary>The subscription end column. Default <c>expires_at</c>.</summary>
    public string SubscriptionEndColumn { get; set; } = "expires_at";

    /// <summary>The stage column: 1, 2, 3, or <c>NULL</c> for completed; default 1. Default <c>vip_entry_stage</c>.</summary>
    public string StageColumn { get; set; } = "vip_entry_stage";

    /// <summary>The grant token hash column (SHA-256 hex, never the token). Default <c>vip_entry_token</c>.</summary>
    public string TokenHashColumn { get; set; } = "vip_entry_token";

    /// <summary>The grant issue time column (UTC). Default <c>invite_link_sent_at</c>.</summary>
    public string IssuedAtColumn { get; set; } = "invite_link_sent_at";

    /// <summary>The recorded transport link column. Default <c>vip_entry_invite_link</c>.</summary>
    public string InviteLinkColumn { get; set; } = "vip_entry_invite_link";

    /// <summary>The column recording when a worker confirmed the channel work of the lapse (UTC, R17). Default <c>vip_entry_lapse_handled_at</c>.</summary>
    public string LapseHandledAtColumn { get; set; } = "vip_entry_lapse_handled_at";

    /// <summary>The column holding the current claim on a lapse's owed channel work (R17). Default <c>vip_entry_lapse_claim</c>.</summary>
    public string LapseClaimColumn { get; set; } = "vip_entry_lapse_claim";

    /// <summary>The column holding when the current lapse claim's lease runs out (UTC, R17). Default <c>vip_entry_lapse_lease_until</c>.</summary>
    public string LapseLeaseUntilColumn { get; set; } = "vip_entry_lapse_lease_until";

    /// <summary>The column holding the transport link a lapse's channel work must revoke (R17). Default <c>vip_entry_lapse_link</c>.</summary>
    public string LapseLinkColumn { get; set; } = "vip_entry_lapse_link";

    /// <summary>The column holding when the current stage was entered (UTC, R18). Default <c>vip_entry_stage_entered_at</c>.</summary>
    public string StageEnteredAtColumn { get; set; } = "vip_entry_stage_entered_at";

    /// <summary>The column holding when the nudge of the current stage visit was handed out (UTC, R18). Default <c>vip_entry_stage_nudged_at</c>.</summary>
    public string StageNudgedAtColumn { get; set; } = "vip_entry_stage_nudged_at";

    /// <summary>The column holding when the reminder of the current grant was handed out (UTC, R18). Default <c>vip_entry_grant_nudged_at</c>.</summary>
    public string GrantNudgedAtColumn { get; set; } = "vip_entry_grant_nudged_at";

    /// <summary>The index on the stage column. Default <c>idx_vip_entry_stage</c>.</summary>
    public string StageIndexName { get; set; } = "idx_vip_entry_stage";

    /// <summary>The unique index on the token hash column. Default <c>idx_vip_entry_token</c>.</summary>
    public string TokenHashIndexName { get; set; } = "idx_vip_entry_token";

    /// <summary>The unique index on the invite link column (unique where not null). Default <c>idx_vip_entry_invite_link</c>.</summary>
    public string InviteLinkIndexName { get; set; } = "idx_vip_entry_invite_link";

    /// <summary>The index the lapse sweep reads in bounded batches (lapse record, subscription end). Default <c>idx_vip_entry_lapse</c>.</summary>
    public string LapseIndexName { get; set; } = "idx_vip_entry_lapse";

    /// <summary>The check constraint keeping the stage column at 1, 2, 3 or <c>NULL</c>. Default <c>ck_vip_entry_stage</c>.</summary>
    public string StageCheckConstraintName { get; set; } = "ck_vip_entry_stage";

    /// <summary>
    /// VipEntry's own table of channel facts (R19): who may be inside, bans that may stand, links to revoke, per chat and
    /// person. Created in the subscriber table's schema (<see cref="Schema"/> for the ready-made entity, the host entity's
    /// own schema otherwise), with no foreign key: records exist for people who are not subscribers. Default <c>vip_entry_channel</c>.
    /// </summary>
    public string ChannelTableName { get; set; } = "vip_entry_channel";

    /// <summary>The channel table's chat key column (varchar(64), the first half of its key). Default <c>chat</c>.</summary>
    public string ChannelChatColumn { get; set; } = "chat";

    /// <summary>The channel table's person id column (bigint, the second half of its key). Default <c>user_id</c>.</summary>
    public string ChannelPersonIdColumn { get; set; } = "user_id";

    /// <summary>The channel table's "may be inside" column (bool). Default <c>may_be_inside</c>.</summary>
    public string ChannelMayBeInsideColumn { get; set; } = "may_be_inside";

    /// <summary>The channel table's "a ban the library placed may stand" column (bool). Default <c>ban_may_stand</c>.</summary>
    public string ChannelBanMayStandColumn { get; set; } = "ban_may_stand";

    /// <summary>The channel table's links still to revoke (text, joined with line feeds; <c>NULL</c> for none). Default <c>links_to_revoke</c>.</summary>
    public string ChannelLinksToRevokeColumn { get; set; } = "links_to_revoke";

    /// <summary>The channel table's next due time (UTC, nullable). Default <c>due_at</c>.</summary>
    public string ChannelDueAtColumn { get; set; } = "due_at";

    /// <summary>The channel table's current claim on the owed work (varchar(32), nullable). Default <c>claim</c>.</summary>
    public string ChannelClaimColumn { get; set; } = "claim";

    /// <summary>The channel table's lease end of the current claim (UTC, nullable). Default <c>lease_until</c>.</summary>
    public string ChannelLeaseUntilColumn { get; set; } = "lease_until";

    /// <summary>The channel table's version (bigint), bumped by every change of a fact or of what is due. Default <c>version</c>.</summary>
    public string ChannelVersionColumn { get; set; } = "version";

    /// <summary>The channel table's member language, an IETF tag the transport saw (varchar(16), nullable). Default <c>language</c>.</summary>
    public string ChannelLanguageColumn { get; set; } = "language";

    /// <summary>The channel table's primary key (chat, person). Default <c>pk_vip_entry_channel</c>.</summary>
    public string ChannelPrimaryKeyName { get; set; } = "pk_vip_entry_channel";

    /// <summary>The index the channel worker reads due records from (chat, due time). Default <c>idx_vip_entry_channel_due</c>.</summary>
    public string ChannelDueIndexName { get; set; } = "idx_vip_entry_channel_due";

    /// <summary>
    /// VipEntry's own table of update claims (a webhook's <c>update_id</c>s claimed across replicas; columns <c>source</c>,
    /// <c>update_id</c>, <c>done</c>, <c>owner</c>, <c>lease_until</c>, <c>done_at</c>; primary key <c>pk_</c> + the table
    /// name), in the same schema as the channel table. Default <c>vip_entry_updates</c>.
    /// </summary>
    public string UpdateClaimsTableName { get; set; } = "vip_entry_updates";

    /// <summary>
    /// VipEntry's own table of payments (issue 17: each payment recorded once per charge id, with its application, refund
    /// and renewal cancellation; columns <c>charge_id</c>, <c>user_id</c>, <c>currency</c>, <c>amount</c>, <c>paid_at</c>,
    /// <c>period_end</c>, <c>is_recurring</c>, <c>is_first_recurring</c>, <c>applied_at</c>, <c>refunded_at</c>,
    /// <c>renewal_canceled_at</c>, <c>claim_owner</c>, <c>claim_until</c>; primary key <c>pk_</c> + the table name, indexes
    /// <c>idx_</c> + the table name + <c>_latest</c>, <c>_unapplied</c> and <c>_cancel</c>), in the same schema as the
    /// channel table. Default <c>vip_entry_payments</c>.
    /// </summary>
    public string PaymentsTableName { get; set; } = "vip_entry_payments";

    /// <summary>
    /// Whether the store prepares its single-row statements (the transitions) on PostgreSQL itself, whatever the host's
    /// connection string says: Npgsql's explicit, persistent preparation, once per statement and physical connection, so
    /// the server parses and plans none of them per call. Default <see langword="true"/>. Turn it off behind a pooler that
    /// does not keep prepared statements (PgBouncer in transaction mode before 1.21, or without <c>max_prepared_statements</c>).
    /// No effect on other providers.
    /// </summary>
    public bool PrepareStatements { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> when a name is empty (a programmer error caught when the model is built).</summary>
    internal void Validate()
    {
        string[] names =
        [
            TableName, SubscriberIdColumn, SubscriptionEndColumn, StageColumn, TokenHashColumn, IssuedAtColumn,
            InviteLinkColumn, LapseHandledAtColumn, LapseClaimColumn, LapseLeaseUntilColumn, LapseLinkColumn,
            StageEnteredAtColumn, StageNudgedAtColumn, GrantNudgedAtColumn, StageIndexName, TokenHashIndexName, InviteLinkIndexName, LapseIndexName, StageCheckConstraintName,
            ChannelTableName, ChannelChatColumn, ChannelPersonIdColumn, ChannelMayBeInsideColumn, ChannelBanMayStandColumn,
            ChannelLinksToRevokeColumn, ChannelDueAtColumn, ChannelClaimColumn, ChannelLeaseUntilColumn, ChannelVersionColumn, ChannelLanguageColumn,
            ChannelPrimaryKeyName, ChannelDueIndexName, UpdateClaimsTableName, PaymentsTableName,
        ];
        foreach (var name in names)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
        }

        if (string.Equals(ChannelTableName, TableName, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The channel table cannot be the subscriber table ('{TableName}').", nameof(ChannelTableName));
        }

        if (string.Equals(UpdateClaimsTableName, TableName, StringComparison.Ordinal) || string.Equals(UpdateClaimsTableName, ChannelTableName, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The update claims table cannot be the subscriber or channel table ('{UpdateClaimsTableName}').", nameof(UpdateClaimsTableName));
        }

        if (string.Equals(PaymentsTableName, TableName, StringComparison.Ordinal)
            || string.Equals(PaymentsTableName, ChannelTableName, StringComparison.Ordinal)
            || string.Equals(PaymentsTableName, UpdateClaimsTableName, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The payments table cannot be the subscriber, channel or update claims table ('{PaymentsTableName}').", nameof(PaymentsTableName));
        }

        if (Schema is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(Schema);
        }
    }

    internal static VipEntryModelOptions Create(Action<VipEntryModelOptions>? configure)
    {
        var options = new VipEntryModelOptions();
        configure?.Invoke(options);
        options.Validate();
        return options;
    }
}
