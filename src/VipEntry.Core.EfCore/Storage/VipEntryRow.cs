using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore;

/// <summary>The ritual columns of one row as read by the store.</summary>
internal sealed record VipEntryRow(
    long SubscriberId,
    DateTimeOffset SubscriptionEndsAt,
    int? Stage,
    string? TokenHash,
    DateTimeOffset? IssuedAt,
    string? InviteLink,
    DateTimeOffset? LapseHandledAt,
    string? LapseClaim,
    DateTimeOffset? LapseLeaseUntil,
    string? LapseLink,
    DateTimeOffset? StageEnteredAt,
    DateTimeOffset? StageNudgedAt,
    DateTimeOffset? GrantNudgedAt)
{
    public VipEntryRecord ToRecord() =>
        new(SubscriberId, ToStage(Stage), SubscriptionEndsAt, TokenHash, IssuedAt, InviteLink, LapseHandledAt)
        {
            LapseClaimId = LapseClaim,
            LapseLeaseUntil = LapseLeaseUntil,
            LapseLink = LapseLink,
            StageEnteredAt = StageEnteredAt,
            StageNudgedAt = StageNudgedAt,
            GrantNudgedAt = GrantNudgedAt,
        };

    // NULL is completed (the original bot's schema); the check constraint keeps anything else out.
    public static VipEntryStage ToStage(int? stored) => stored switch
    {
        null => VipEntryStage.Completed,
        1 => VipEntryStage.ActivationConfirmation,
        2 => VipEntryStage.ExpectationAlignment,
        3 => VipEntryStage.AccessDelivery,
        _ => throw new InvalidOperationException($"The stored stage {stored} is not 1, 2, 3 or NULL."),
    };

    // A condition on a stage that is never stored (NotEnrolled, garbage) matches no row, as in the in-memory store.
    public static int? ToStoredCondition(VipEntryStage stage) => stage switch
    {
        VipEntryStage.Completed => null,
        VipEntryStage.ActivationConfirmation or VipEntryStage.ExpectationAlignment or VipEntryStage.AccessDelivery => (int)stage,
        _ => -1,
    };

    public static int? ToStored(VipEntryStage stage) => stage switch
    {
        VipEntryStage.Completed => null,
        VipEntryStage.ActivationConfirmation or VipEntryStage.ExpectationAlignment or VipEntryStage.AccessDelivery => (int)stage,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Only stages 1-3 and completed are stored."),
    };
}
