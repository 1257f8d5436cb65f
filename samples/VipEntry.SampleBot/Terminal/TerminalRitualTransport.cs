using System.Globalization;
using VipEntry.SampleBot.Ritual;

namespace VipEntry.SampleBot.Terminal;

/// <summary>The simulated VIP channel of terminal mode: what would happen on Telegram is printed as a channel event.</summary>
/// <param name="console">The terminal.</param>
/// <param name="choices">The numbered choices on screen: an unprompted message's buttons become them.</param>
internal sealed class TerminalRitualTransport(TerminalConsole console, TerminalChoices choices) : IRitualTransport
{
    public ValueTask<string> FormatActivationLinkAsync(string code, CancellationToken cancellationToken) =>
        ValueTask.FromResult("/start " + code);

    public ValueTask<bool> AdmitAsync(long userId, CancellationToken cancellationToken) =>
        Event(string.Create(CultureInfo.InvariantCulture, $"user {userId} joined the VIP channel"));

    public ValueTask<bool> RefuseAsync(long userId, CancellationToken cancellationToken) =>
        Event(string.Create(CultureInfo.InvariantCulture, $"join request of user {userId} declined"));

    public ValueTask<bool> RemoveAsync(long userId, CancellationToken cancellationToken) =>
        Event(string.Create(CultureInfo.InvariantCulture, $"user {userId} removed from the VIP channel"));

    public ValueTask<bool> RevokeLinkAsync(string link, CancellationToken cancellationToken) =>
        Event($"invite link {link} revoked");

    public ValueTask<bool> NotifyAsync(long userId, RitualMessage message, CancellationToken cancellationToken)
    {
        TerminalRenderer.Write(console, message, "VipEntry bot", firstChoice: 1);
        choices.Replace(message.Buttons);
        return ValueTask.FromResult(true);
    }

    private ValueTask<bool> Event(string text)
    {
        TerminalRenderer.Line(console, "[grey][[channel]][/] " + Spectre.Console.Markup.Escape(text));
        return ValueTask.FromResult(true);
    }
}
