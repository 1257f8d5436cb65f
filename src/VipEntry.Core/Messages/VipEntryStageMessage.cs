namespace VipEntry.Core.Messages;

/// <summary>The content of one stage's prompt.</summary>
/// <param name="Text">The text. In the stage-3 text, <c>{expires}</c> is replaced by the link's expiry (UTC).</param>
/// <param name="ButtonLabel">The button's label.</param>
/// <param name="ButtonKind">The button's kind.</param>
public sealed record VipEntryStageMessage(string Text, string ButtonLabel, VipEntryButtonKind ButtonKind);
