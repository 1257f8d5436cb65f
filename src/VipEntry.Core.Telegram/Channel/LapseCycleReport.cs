namespace VipEntry.Core.Telegram.Channel;

/// <summary>What one channel-worker cycle did.</summary>
/// <param name="Claimed">Lapses this process claimed.</param>
/// <param name="Confirmed">Lapses whose work was done and confirmed (nothing more is owed).</param>
/// <param name="EntitledAgain">Of those, members who had renewed meanwhile and were let back in.</param>
/// <param name="Failed">Lapses whose work failed and stays owed (handed out again after the lease).</param>
/// <param name="ClaimLost">Lapses whose lease ran out before the confirmation (another worker has them).</param>
internal sealed record LapseCycleReport(int Claimed, int Confirmed, int EntitledAgain, int Failed, int ClaimLost);
