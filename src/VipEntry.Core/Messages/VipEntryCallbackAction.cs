namespace VipEntry.Core.Messages;

/// <summary>What a VipEntry callback button asks for.</summary>
public enum VipEntryCallbackAction
{
    /// <summary>Advance from the stage named in the callback.</summary>
    Advance,

    /// <summary>Replace the access link (R7).</summary>
    RequestNewLink,

    /// <summary>A completed member outside the channel asks for a re-entry grant (R16).</summary>
    RequestReentry,
}
