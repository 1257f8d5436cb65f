namespace VipEntry.Core.Results;

/// <summary>Where a subscriber's lapse stands (R8, R17).</summary>
public enum VipEntryLapseState
{
    /// <summary>The subscription is active, or has never been swept since it was renewed.</summary>
    None,

    /// <summary>The subscription ended and no sweep has claimed the lapse yet.</summary>
    Pending,

    /// <summary>A worker holds a claim on the lapse; its channel work is owed until confirmed.</summary>
    Claimed,

    /// <summary>A worker confirmed the channel work of the lapse.</summary>
    Handled,
}
