using Microsoft.EntityFrameworkCore;

namespace VipEntry.Core.EfCore;

/// <summary>The mapping of the channel table (R19), shared by both ways of mapping the ritual.</summary>
internal static class VipEntryChannelModel
{
    /// <summary>The longest chat key (<see cref="Options.VipEntryOptions.ChannelKey"/> allows 64 characters).</summary>
    public const int ChatLength = 64;

    /// <summary>The longest claim id the channel table holds (a worker's claim is a GUID without dashes).</summary>
    public const int ClaimLength = VipEntryPropertyNames.LapseClaimLength;

    /// <summary>The longest language tag the channel table holds (<c>VipEntryChannelRecord.MaxLanguageLength</c>).</summary>
    public const int LanguageLength = Storage.VipEntryChannelRecord.MaxLanguageLength;

    /// <summary>
    /// Maps <see cref="VipEntryChannelEntity"/> to its own table in <paramref name="schema"/>: no relationship to the
    /// subscriber table (records exist for people who are not subscribers), and nothing the host's entity requires.
    /// </summary>
    public static void Configure(ModelBuilder modelBuilder, VipEntryModelOptions o, string? schema) =>
        modelBuilder.Entity<VipEntryChannelEntity>(b =>
        {
            b.ToTable(o.ChannelTableName, schema);
            b.HasKey(x => new { x.Chat, x.PersonId }).HasName(o.ChannelPrimaryKeyName);
            b.Property(x => x.Chat).HasColumnName(o.ChannelChatColumn).HasMaxLength(ChatLength).IsUnicode(false).IsRequired();
            b.Property(x => x.PersonId).HasColumnName(o.ChannelPersonIdColumn).ValueGeneratedNever();
            b.Property(x => x.MayBeInside).HasColumnName(o.ChannelMayBeInsideColumn);
            b.Property(x => x.BanMayStand).HasColumnName(o.ChannelBanMayStandColumn);
            b.Property(x => x.LinksToRevoke).HasColumnName(o.ChannelLinksToRevokeColumn);
            b.Property(x => x.DueAt).HasColumnName(o.ChannelDueAtColumn).HasConversion(UtcDateTimeOffsetConverter.Instance);
            b.Property(x => x.Claim).HasColumnName(o.ChannelClaimColumn).HasMaxLength(ClaimLength).IsUnicode(false);
            b.Property(x => x.LeaseUntil).HasColumnName(o.ChannelLeaseUntilColumn).HasConversion(UtcDateTimeOffsetConverter.Instance);
            b.Property(x => x.Version).HasColumnName(o.ChannelVersionColumn);
            b.Property(x => x.Language).HasColumnName(o.ChannelLanguageColumn).HasMaxLength(LanguageLength).IsUnicode(false);
            b.HasIndex(x => new { x.Chat, x.DueAt }).HasDatabaseName(o.ChannelDueIndexName);
            b.HasAnnotation(VipEntryAnnotations.ChannelFacts, true);
            if (!o.PrepareStatements)
            {
                b.HasAnnotation(VipEntryAnnotations.PrepareStatements, false);
            }

        });
}
