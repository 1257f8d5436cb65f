namespace VipEntry.Core.Messages;

/// <summary>What a prompt's button does.</summary>
public enum VipEntryButtonKind
{
    /// <summary>A callback button that advances from the shown stage; its payload is callback data.</summary>
    Advance,

    /// <summary>A URL button that opens the access link; its payload is the link.</summary>
    OpenLink,

    /// <summary>A callback button that asks for a new access link; its payload is callback data.</summary>
    RequestNewLink,

    /// <summary>
    /// A callback button, under the completed notice, that asks for a re-entry link (R16); its payload is callback data.
    /// A host that knows the member is inside the channel may leave it out.
    /// </summary>
    RequestReentry,
}
