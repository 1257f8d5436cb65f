using VipEntry.Core.Stages;

namespace VipEntry.Core.Messages;

/// <summary>Overrides of the built-in texts, per stage or notice and per culture (R14).</summary>
public sealed class VipEntryMessageOptions
{
    internal Dictionary<(VipEntryStage Stage, string Culture), VipEntryStageMessage> StageOverrides { get; } = [];

    internal Dictionary<(VipEntryNotice Notice, string Culture), string> NoticeOverrides { get; } = [];

    /// <summary>Replaces the prompt of <paramref name="stage"/> for <paramref name="cultureName"/> (e.g. <c>es</c>, <c>en-GB</c>).</summary>
    /// <param name="stage">Stage 1, 2 or 3.</param>
    /// <param name="cultureName">A culture name; a neutral name (<c>es</c>) also serves its specific cultures.</param>
    /// <param name="message">The content.</param>
    /// <returns>This instance.</returns>
    public VipEntryMessageOptions SetStage(VipEntryStage stage, string cultureName, VipEntryStageMessage message)
    {
        ArgumentNullException.ThrowIfNull(cultureName);
        ArgumentNullException.ThrowIfNull(message);
        if (stage is not (VipEntryStage.ActivationConfirmation or VipEntryStage.ExpectationAlignment or VipEntryStage.AccessDelivery))
        {
            throw new ArgumentOutOfRangeException(nameof(stage), stage, "Only stages 1, 2 and 3 have prompts.");
        }

        StageOverrides[(stage, cultureName.ToUpperInvariant())] = message;
        return this;
    }

    /// <summary>Replaces the text of <paramref name="notice"/> for <paramref name="cultureName"/>.</summary>
    /// <param name="notice">The notice.</param>
    /// <param name="cultureName">A culture name.</param>
    /// <param name="text">The text.</param>
    /// <returns>This instance.</returns>
    public VipEntryMessageOptions SetNotice(VipEntryNotice notice, string cultureName, string text)
    {
        ArgumentNullException.ThrowIfNull(cultureName);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        NoticeOverrides[(notice, cultureName.ToUpperInvariant())] = text;
        return this;
    }
}
