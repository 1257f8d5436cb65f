namespace VipEntry.Core.EfCore;

/// <summary>
/// One row of VipEntry's own update claims table: a delivered update (a webhook's <c>update_id</c>) claimed by a holder.
/// Mapped by the same call that maps the ritual, never by the host; read and written only by
/// <see cref="EfCoreVipEntryUpdateClaims{TContext}"/>, with single statements.
/// </summary>
internal sealed class VipEntryUpdateClaimEntity
{
    public string Source { get; set; } = "";

    public long UpdateId { get; set; }

    public bool Done { get; set; }

    public string Owner { get; set; } = "";

    public DateTimeOffset LeaseUntil { get; set; }

    public DateTimeOffset? DoneAt { get; set; }
}
