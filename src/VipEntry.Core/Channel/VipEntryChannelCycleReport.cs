namespace VipEntry.Core.Channel;

/// <summary>What one cycle of the channel worker did.</summary>
/// <param name="Removed">People removed from the chat (not entitled and possibly inside).</param>
/// <param name="BansLifted">Bans lifted from people who pay.</param>
/// <param name="LinksRevoked">Links of grants that no longer stand, revoked.</param>
/// <param name="Failed">Records and lapses whose work failed and stays owed (handed out again after the lease).</param>
/// <param name="LapsesConfirmed">Lapses whose channel work was confirmed (R17).</param>
/// <param name="LetBackIn">Members who renewed during their lapse's work and were offered the way back in (R16).</param>
/// <param name="Nudged">Reminders sent (R18).</param>
public sealed record VipEntryChannelCycleReport(int Removed, int BansLifted, int LinksRevoked, int Failed, int LapsesConfirmed, int LetBackIn, int Nudged)
{
    /// <summary>A cycle that did nothing.</summary>
    public static VipEntryChannelCycleReport Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>Adds two reports.</summary>
    /// <param name="other">The other report.</param>
    /// <returns>The sum.</returns>
    public VipEntryChannelCycleReport Add(VipEntryChannelCycleReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Removed + other.Removed, BansLifted + other.BansLifted, LinksRevoked + other.LinksRevoked, Failed + other.Failed, LapsesConfirmed + other.LapsesConfirmed, LetBackIn + other.LetBackIn, Nudged + other.Nudged);
    }
}
