using System.Globalization;
using System.Text;
using Telegram.Bot.Types.ReplyMarkups;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.SampleBot.Ritual;

namespace VipEntry.SampleBot.Telegram;

/// <summary>Turns transport-neutral messages into Telegram text and inline keyboards.</summary>
internal static class TelegramRendering
{
    private const int BarWidth = 20;

    public static string Text(RitualMessage message) =>
        message.Funnel is { } funnel ? message.Text + "\n" + FunnelBars(funnel) : message.Text;

    public static InlineKeyboardMarkup? Keyboard(RitualMessage message)
    {
        if (message.Buttons.Count == 0)
        {
            return null;
        }

        // One button per row; callback buttons carry VipEntry's compact callback data (≤ 64 bytes).
        return new InlineKeyboardMarkup(message.Buttons.Select(b => new[]
        {
            b.Kind == VipEntryButtonKind.OpenLink
                ? InlineKeyboardButton.WithUrl(text: b.Label, url: b.Payload)
                : InlineKeyboardButton.WithCallbackData(text: b.Label, callbackData: b.Payload),
        }));
    }

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
