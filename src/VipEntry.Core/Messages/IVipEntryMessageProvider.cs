using System.Globalization;
using VipEntry.Core.Stages;

namespace VipEntry.Core.Messages;

/// <summary>Provides the texts of the ritual (R14).</summary>
public interface IVipEntryMessageProvider
{
    /// <summary>The prompt content of a ritual stage (1, 2 or 3).</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="culture">The member's culture.</param>
    /// <returns>The content.</returns>
    VipEntryStageMessage GetStageMessage(VipEntryStage stage, CultureInfo culture);

    /// <summary>The text of a notice.</summary>
    /// <param name="notice">The notice.</param>
    /// <param name="culture">The member's culture.</param>
    /// <returns>The text.</returns>
    string GetNotice(VipEntryNotice notice, CultureInfo culture);
}
