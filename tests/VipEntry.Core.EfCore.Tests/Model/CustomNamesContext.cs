using Microsoft.EntityFrameworkCore;

namespace VipEntry.Core.EfCore.Tests.Model;

/// <summary>Every name overridden, to prove none is hard-coded.</summary>
public sealed class CustomNamesContext(DbContextOptions<CustomNamesContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.AddVipEntrySubscribers(o =>
        {
            o.TableName = "members";
            o.Schema = "bot";
            o.SubscriberIdColumn = "member_id";
            o.SubscriptionEndColumn = "paid_until";
            o.StageColumn = "ritual_stage";
            o.TokenHashColumn = "ritual_token_sha256";
            o.IssuedAtColumn = "ritual_issued_at";
            o.InviteLinkColumn = "ritual_link";
            o.LapseHandledAtColumn = "ritual_lapse_at";
            o.StageIndexName = "ix_stage";
            o.TokenHashIndexName = "ux_token";
            o.InviteLinkIndexName = "ux_link";
            o.LapseIndexName = "ix_lapse";
            o.StageCheckConstraintName = "ck_stage";
            o.ChannelTableName = "channel_facts";
            o.ChannelChatColumn = "chat_key";
            o.ChannelPersonIdColumn = "person_id";
            o.ChannelMayBeInsideColumn = "maybe_in";
            o.ChannelBanMayStandColumn = "banned";
            o.ChannelLinksToRevokeColumn = "stale_links";
            o.ChannelDueAtColumn = "next_look_at";
            o.ChannelClaimColumn = "worker";
            o.ChannelLeaseUntilColumn = "worker_until";
            o.ChannelVersionColumn = "revision";
            o.ChannelLanguageColumn = "lang";
            o.ChannelPrimaryKeyName = "pk_channel_facts";
            o.ChannelDueIndexName = "ix_channel_due";
        });
}
