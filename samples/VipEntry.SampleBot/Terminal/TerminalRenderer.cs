using Spectre.Console;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.SampleBot.Ritual;

namespace VipEntry.SampleBot.Terminal;

/// <summary>Draws ritual messages: panels for texts, numbered choices for buttons, a bar chart for the funnel.</summary>
internal static class TerminalRenderer
{
    public static void Write(TerminalConsole console, RitualMessage message, string header, int firstChoice)
    {
        lock (console.Gate)
        {
            var body = Markup.Escape(message.Text);
            for (var i = 0; i < message.Buttons.Count; i++)
            {
                var button = message.Buttons[i];
                var what = button.Kind == VipEntryButtonKind.OpenLink ? $" → {button.Payload} (type {firstChoice + i} or \"join\" to use it)" : string.Empty;
                body += $"\n[bold]{firstChoice + i}[/]) {Markup.Escape(button.Label)}{Markup.Escape(what)}";
            }

            console.Output.Write(new Panel(new Markup(body)).Header(Markup.Escape(header)).Border(BoxBorder.Rounded).Expand());
            if (message.Funnel is { } funnel)
            {
                console.Output.Write(Chart(funnel));
            }
        }
    }

    public static void Line(TerminalConsole console, string markup)
    {
        lock (console.Gate)
        {
            console.Output.MarkupLine(markup);
        }
    }

    public static void Prompt(TerminalConsole console)
    {
        lock (console.Gate)
        {
            console.Output.Markup("[grey]>[/] ");
        }
    }

    private static BarChart Chart(VipEntryFunnel funnel) => new BarChart()
        .Width(60)
        .Label("Members per stage")
        .AddItem("1 confirm", funnel.ActivationConfirmation, Color.Yellow)
        .AddItem("2 align", funnel.ExpectationAlignment, Color.Orange1)
        .AddItem("3 link", funnel.AccessDelivery, Color.Blue)
        .AddItem("completed", funnel.Completed, Color.Green);
}
