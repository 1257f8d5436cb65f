namespace VipEntry.Core.Messages;

/// <summary>What to show the member: a text and, where there is something to do, a button.</summary>
/// <param name="Text">The message text.</param>
/// <param name="Button">The button, or <see langword="null"/> when there is nothing to press.</param>
public sealed record VipEntryPrompt(string Text, VipEntryButton? Button);
