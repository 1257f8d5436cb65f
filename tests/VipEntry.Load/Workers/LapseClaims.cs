using VipEntry.Core.Results;
using VipEntry.Load.Logging;

namespace VipEntry.Load.Workers;

/// <summary>Logging and confirming claimed lapses, shared by the workers and the coordinator's drain.</summary>
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

    public static Task<VipEntryResult?> ConfirmAsync(OpRunner ops, VipEntryLapse lapse)
    {
        ArgumentNullException.ThrowIfNull(ops);
        ArgumentNullException.ThrowIfNull(lapse);
        return ops.RunAsync(
            new LogLine { Op = "ConfirmLapse", Subscriber = lapse.SubscriberId, ClaimId = lapse.ClaimId, End = lapse.SubscriptionEndedAt.UtcTicks },
            m => m.ConfirmLapseHandledAsync(lapse).AsTask(),
            (line, r) =>
            {
                OpRunner.Describe(line, r);
                line.ClaimId = lapse.ClaimId;
                line.End = lapse.SubscriptionEndedAt.UtcTicks;
            });
    }
}
