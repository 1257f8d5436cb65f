namespace VipEntry.Core.Results;

/// <summary>What an operation did, or why it did nothing (R13).</summary>
public enum VipEntryOutcome
{
    /// <summary>A subscriber never in the ritual was enrolled at stage 1 (R1).</summary>
    Started,

    /// <summary>An active, completed subscriber's subscription was extended; they stay completed (R2).</summary>
    Renewed,

    /// <summary>A renewal restarted the ritual at stage 1 (mid-ritual or lapsed subscriber, R2).</summary>
    Restarted,

    /// <summary>Nothing changed; the member is at <see cref="VipEntryResult.Stage"/> and is shown its prompt again (R9).</summary>
    AtStage,

    /// <summary>The subscriber moved to the next stage (R3).</summary>
    Advanced,

    /// <summary>The request named a stage the subscriber is not at (double tap, retried callback); nothing changed (R3).</summary>
    StaleStage,

    /// <summary>A new access grant was issued and its link delivered (R5).</summary>
    AccessIssued,

    /// <summary>The live grant's recorded link was shown again; nothing was minted (R5).</summary>
    AccessShown,

    /// <summary>An expired (or no longer showable) grant was replaced by a new one (R7).</summary>
    AccessReissued,

    /// <summary>A live grant exists but its link cannot be shown again (it carried the token, or is still being prepared).</summary>
    AccessAlreadyDelivered,

    /// <summary>The grant was redeemed and the ritual completed (R6).</summary>
    Redeemed,

    /// <summary>An administrator completed the ritual for the subscriber (R4).</summary>
    Skipped,

    /// <summary>The subscriber has already completed the ritual.</summary>
    AlreadyCompleted,

    /// <summary>The subscriber is not enrolled in the ritual.</summary>
    NotEnrolled,

    /// <summary>The host ended the subscription now; every further step is blocked and the next sweep reports the lapse (R8).</summary>
    SubscriptionEnded,

    /// <summary>The subscription has ended; nothing changed (R8).</summary>
    SubscriptionExpired,

    /// <summary>The access grant has expired; the member may ask for a new link (R6, R7).</summary>
    LinkExpired,

    /// <summary>A new link was asked for before the reissue cooldown passed (R7).</summary>
    ReissueTooSoon,

    /// <summary>The claimant is not the subscriber the grant is bound to (forwarded link); the grant stays valid (R6).</summary>
    Refused,

    /// <summary>The token, link, stage or callback data is malformed (R11).</summary>
    InvalidInput,

    /// <summary>No live grant matches the token or link presented.</summary>
    UnknownGrant,

    /// <summary>The operation does not apply at the subscriber's current stage.</summary>
    WrongStage,

    /// <summary>The host's link issuer could not make a transport link; state is unchanged and the member can try again.</summary>
    LinkIssuerFailed,

    /// <summary>Concurrent changes kept winning; state is consistent and the caller can try again.</summary>
    Conflict,

    /// <summary>A completed member redeemed a re-entry grant: let them back into the channel; they stay completed (R16).</summary>
    Readmitted,

    /// <summary>The worker's confirmation of the owed channel work of a lapse was recorded; nothing more is owed (R17).</summary>
    LapseConfirmed,

    /// <summary>
    /// The member renewed after the lapse was claimed: whatever the worker did (a removal), they are entitled again and the
    /// transport must let them back in, e.g. by offering re-entry (R16, R17). Nothing more is owed for that lapse.
    /// </summary>
    EntitledAgain,

    /// <summary>The claim's lease ran out and another worker holds (or confirmed) the lapse; this confirmation changed nothing (R17).</summary>
    LapseClaimLost,

    /// <summary>
    /// A completed member asked for re-entry while the transport reports them inside the channel: no link is minted
    /// (R16, R19); the fact that they may be inside is recorded.
    /// </summary>
    AlreadyInside,
}
