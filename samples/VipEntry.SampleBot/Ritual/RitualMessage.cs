using VipEntry.Core.Messages;
using VipEntry.Core.Results;

namespace VipEntry.SampleBot.Ritual;

/// <summary>One transport-neutral message to show the user: a text, its buttons, and optionally a funnel chart.</summary>
/// <param name="Text">The text (plain, no markup).</param>
/// <param name="Buttons">The buttons: callback kinds carry VipEntry callback data, <see cref="VipEntryButtonKind.OpenLink"/> carries the link.</param>
/// <param name="Funnel">For <c>/funnel</c>: the counts, drawn by the transport (a bar chart, or text bars).</param>
public sealed record RitualMessage(string Text, IReadOnlyList<VipEntryButton> Buttons, VipEntryFunnel? Funnel = null)
{
    /// <summary>A text without buttons.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The message.</returns>
    public static RitualMessage Plain(string text) => new(text, []);
}
