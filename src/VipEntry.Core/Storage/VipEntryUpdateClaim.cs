namespace VipEntry.Core.Storage;

/// <summary>What <see cref="IVipEntryUpdateClaims.TryClaimAsync"/> found for one delivered update.</summary>
public enum VipEntryUpdateClaim
{
    /// <summary>The caller holds the update now (it was new, or its last holder's lease ran out): process it, then mark it done.</summary>
    Claimed = 0,

    /// <summary>The update was processed already: acknowledge it without processing it again.</summary>
    AlreadyDone = 1,

    /// <summary>Another holder's lease on it has not run out: do not process it here; the sender retries it later.</summary>
    HeldElsewhere = 2,
}
