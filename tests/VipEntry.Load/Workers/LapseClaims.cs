using VipEntry.Core.Results;
using VipEntry.Load.Logging;

namespace VipEntry.Load.Workers;

/// <summary>How a claimed lapse is logged (by <see cref="LoggingStateMachine"/>, for every process).</summary>
public static class LapseClaims
{
    public static ClaimRecord Record(VipEntryLapse lapse, bool dropped)
    {
        ArgumentNullException.ThrowIfNull(lapse);
        return new ClaimRecord
        {
            Subscriber = lapse.SubscriberId,
            ClaimId = lapse.ClaimId,
            EndedTicks = lapse.SubscriptionEndedAt.UtcTicks,
            LeaseTicks = lapse.LeaseExpiresAt.UtcTicks,
            Stage = (int)lapse.Stage,
            IsRetry = lapse.IsRetry,
            Dropped = dropped,
        };
    }
}
