using Microsoft.EntityFrameworkCore;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore;

/// <summary>The mapping of the update claims table, shared by both ways of mapping the ritual.</summary>
internal static class VipEntryUpdateClaimModel
{
    /// <summary>Maps <see cref="VipEntryUpdateClaimEntity"/> to its own table in <paramref name="schema"/>, with no relationship.</summary>
    public static void Configure(ModelBuilder modelBuilder, VipEntryModelOptions o, string? schema) =>
        modelBuilder.Entity<VipEntryUpdateClaimEntity>(b =>
        {
            b.ToTable(o.UpdateClaimsTableName, schema);
            b.HasKey(x => new { x.Source, x.UpdateId }).HasName("pk_" + o.UpdateClaimsTableName);
            b.Property(x => x.Source).HasColumnName("source").HasMaxLength(IVipEntryUpdateClaims.MaxSourceLength).IsUnicode(false).IsRequired();
            b.Property(x => x.UpdateId).HasColumnName("update_id").ValueGeneratedNever();
            b.Property(x => x.Done).HasColumnName("done");
            b.Property(x => x.Owner).HasColumnName("owner").HasMaxLength(IVipEntryUpdateClaims.MaxOwnerLength).IsUnicode(false).IsRequired();
            b.Property(x => x.LeaseUntil).HasColumnName("lease_until").HasConversion(UtcDateTimeOffsetConverter.Instance);
            b.Property(x => x.DoneAt).HasColumnName("done_at").HasConversion(UtcDateTimeOffsetConverter.Instance);
            b.HasAnnotation(VipEntryAnnotations.UpdateClaims, true);
        });
}
