using System.Globalization;
using Microsoft.EntityFrameworkCore;
using VipEntry.Core.EfCore;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>
/// A host whose subscriber id is stored as text through a value converter of its own (<c>tg:1001</c>), in its own schema on
/// PostgreSQL (SQLite has none), with every column named its own way, VipEntry's included.
/// </summary>
public sealed class ConvertedIdBotContext(DbContextOptions<ConvertedIdBotContext> options) : DbContext(options)
{
    public const string Schema = "crm";

    public const string IdPrefix = "tg:";

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<LegacySubscriber>(b =>
        {
            b.ToTable("paying_members", Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL" ? Schema : null);
            b.HasKey(x => x.UserId);
            b.Property(x => x.UserId).HasColumnName("member_key").HasMaxLength(32)
                .HasConversion(v => ToText(v), v => FromText(v));
            b.Property(x => x.Username).HasColumnName("handle").HasMaxLength(64);
            b.Property(x => x.ExpiresAt).HasColumnName("paid_until");
            b.HasVipEntry(x => x.UserId, x => x.ExpiresAt, o =>
            {
                o.StageColumn = "ritual_step";
                o.TokenHashColumn = "ritual_token";
                o.IssuedAtColumn = "ritual_link_sent";
                o.InviteLinkColumn = "ritual_link";
                o.LapseHandledAtColumn = "ritual_lapse_done";
                o.LapseClaimColumn = "ritual_lapse_claim";
                o.LapseLeaseUntilColumn = "ritual_lapse_lease";
                o.LapseLinkColumn = "ritual_lapse_link";
                o.StageEnteredAtColumn = "ritual_step_entered";
                o.StageNudgedAtColumn = "ritual_step_nudged";
                o.GrantNudgedAtColumn = "ritual_grant_nudged";
                o.StageIndexName = "ix_paying_members_step";
                o.TokenHashIndexName = "ix_paying_members_token";
                o.InviteLinkIndexName = "ix_paying_members_link";
                o.LapseIndexName = "ix_paying_members_lapse";
                o.StageCheckConstraintName = "ck_paying_members_step";
            });
        });

    public static string ToText(long id) => IdPrefix + id.ToString(CultureInfo.InvariantCulture);

    public static long FromText(string text) => long.Parse(text.AsSpan(IdPrefix.Length), CultureInfo.InvariantCulture);
}
