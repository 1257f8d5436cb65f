namespace VipEntry.Core.Telegram;

/// <summary>What one pass of the Stars payments worker did.</summary>
/// <param name="Applied">Payments whose holder died before applying them, applied now.</param>
/// <param name="RenewalsCanceled">Refunded subscriptions whose renewal is now confirmed canceled.</param>
/// <param name="Failed">Work that failed and stays owed (handed out again when its lease runs out).</param>
public sealed record VipEntryStarsCycleReport(int Applied, int RenewalsCanceled, int Failed)
{
    /// <summary>Nothing was owed.</summary>
    public static VipEntryStarsCycleReport Empty { get; } = new(0, 0, 0);
}
