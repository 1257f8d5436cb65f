using System.Globalization;
using VipEntry.SampleBot.Ritual;

namespace VipEntry.SampleBot.Terminal;

/// <summary>The terminal's side of a join request; the channel's door is <see cref="TerminalChannel"/>.</summary>
/// <param name="console">The terminal.</param>
/// <param name="channel">The simulated VIP channel.</param>
internal sealed class TerminalRitualTransport(TerminalConsole console, TerminalChannel channel) : IRitualTransport
{
    public ValueTask<string> FormatActivationLinkAsync(string code, CancellationToken cancellationToken) =>
        ValueTask.FromResult("/start " + code);

    public ValueTask<bool> AdmitAsync(long userId, CancellationToken cancellationToken)
    {
        channel.Admit(userId);
        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> LeaveAsync(long userId, CancellationToken cancellationToken) => ValueTask.FromResult(channel.Leave(userId));

    public ValueTask<bool> RefuseAsync(long userId, CancellationToken cancellationToken)
    {
        TerminalRenderer.Line(console, "[grey][[channel]][/] " + Spectre.Console.Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"join request of user {userId} declined")));
        return ValueTask.FromResult(true);
    }
}
