namespace VipEntry.Core.Storage;

/// <summary>What <see cref="IVipEntryPaymentStore.TryClaimAsync"/> found for one received payment.</summary>
public enum VipEntryPaymentClaim
{
    /// <summary>The caller holds the payment now (it was new and is recorded, or it was recorded, not applied, and its last holder's lease ran out): apply it, then mark it applied.</summary>
    Claimed = 0,

    /// <summary>The payment was applied already (a redelivery): do nothing more.</summary>
    AlreadyApplied = 1,

    /// <summary>Another holder's lease on it has not run out: that holder applies it (or its lease runs out and a worker takes it over).</summary>
    HeldElsewhere = 2,
}
