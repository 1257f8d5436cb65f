using System.Globalization;
using System.Text;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.SampleBot.Ritual;

namespace VipEntry.SampleBot.Telegram;

/// <summary>Turns the commands' transport-neutral replies into Telegram text (the ritual's prompts are the package's).</summary>
internal static class TelegramRendering
{
    private const int BarWidth = 20;

    public static string Text(RitualMessage message) =>
        message.Funnel is { } funnel ? message.Text + "\n" + FunnelBars(funnel) : message.Text;

    public static string FunnelBars(VipEntryFunnel funnel)
    {
        var max = Math.Max(1, new[] { funnel.ActivationConfirmation, funnel.ExpectationAlignment, funnel.AccessDelivery, funnel.Completed }.Max());
        var text = new StringBuilder();
        foreach (var (label, stage) in new[] { ("1 confirm ", VipEntryStage.ActivationConfirmation), ("2 align   ", VipEntryStage.ExpectationAlignment), ("3 link    ", VipEntryStage.AccessDelivery), ("completed ", VipEntryStage.Completed) })
        {
            var count = funnel[stage];
            var bar = new string('█', (int)Math.Round(count * (double)BarWidth / max));
            text.Append(label).Append(bar).Append(' ').Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString().TrimEnd('\n');
    }
}
