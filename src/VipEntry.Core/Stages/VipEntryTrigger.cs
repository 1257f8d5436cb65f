namespace VipEntry.Core.Stages;

/// <summary>What can move a subscriber between stages.</summary>
public enum VipEntryTrigger
{
    /// <summary>A subscription is activated for someone never in the ritual (R1).</summary>
    Activate,

    /// <summary>A subscription is renewed; mid-ritual or lapsed members restart at stage 1 (R2).</summary>
    Renew,

    /// <summary>The member presses the button of the stage they were shown (R3).</summary>
    Advance,

    /// <summary>The member redeems their access grant by joining (R6).</summary>
    Redeem,

    /// <summary>An administrator lets the member skip the ritual (R4).</summary>
    AdministrativeSkip,

    /// <summary>A completed member outside the channel redeems a re-entry grant and is let back in, still completed (R16).</summary>
    Reenter,
}
