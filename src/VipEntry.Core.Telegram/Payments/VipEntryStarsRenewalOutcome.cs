namespace VipEntry.Core.Telegram;

/// <summary>What <see cref="IVipEntryStarsSeller.SetRenewalAsync"/> did.</summary>
public enum VipEntryStarsRenewalOutcome
{
    /// <summary>Telegram accepted the change (renewal canceled, or re-enabled).</summary>
    Done = 0,

    /// <summary>The member has no Stars subscription to change (never paid, or their last payment was refunded).</summary>
    NoSubscription = 1,

    /// <summary><c>editUserStarSubscription</c> failed; nothing changed, ask again.</summary>
    Failed = 2,
}
