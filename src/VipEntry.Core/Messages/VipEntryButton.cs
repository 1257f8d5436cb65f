namespace VipEntry.Core.Messages;

/// <summary>A button to show under a prompt.</summary>
/// <param name="Label">The button text.</param>
/// <param name="Kind">What it does.</param>
/// <param name="Payload">Callback data (≤ 64 bytes) for callback kinds, or the URL for <see cref="VipEntryButtonKind.OpenLink"/>.</param>
public sealed record VipEntryButton(string Label, VipEntryButtonKind Kind, string Payload)
{
    /// <summary>A description without the payload, which may be a link carrying a secret (R12).</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"VipEntryButton {{ Label = {Label}, Kind = {Kind} }}";
}
