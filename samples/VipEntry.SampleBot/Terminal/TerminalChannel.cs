using System.Globalization;
using VipEntry.Core.Channel;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.SampleBot.Ritual;

namespace VipEntry.SampleBot.Terminal;

/// <summary>
/// The simulated VIP channel of terminal mode, as VipEntry's channel port (R16–R19): the one channel worker of
/// <c>VipEntry.Core</c> drives it exactly as it drives Telegram. What would happen on Telegram is printed as a channel
/// event; who is inside and who is banned is kept here, so "is this person inside?" has an answer.
/// </summary>
/// <param name="console">The terminal.</param>
/// <param name="choices">The numbered choices on screen: a message's buttons become them.</param>
internal sealed class TerminalChannel(TerminalConsole console, TerminalChoices choices) : IVipEntryChannel
{
    private readonly Lock _gate = new();
    private readonly HashSet<long> _inside = [];
    private readonly HashSet<long> _banned = [];

    /// <summary>The join request of <paramref name="userId"/> was approved: they are inside.</summary>
    public void Admit(long userId)
    {
        lock (_gate)
        {
            _inside.Add(userId);
        }

        Line(string.Create(CultureInfo.InvariantCulture, $"user {userId} joined the VIP channel"));
    }

    /// <summary><paramref name="userId"/> leaves the channel; <see langword="false"/> when they were not inside.</summary>
    public bool Leave(long userId)
    {
        bool was;
        lock (_gate)
        {
            was = _inside.Remove(userId);
        }

        if (was)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"user {userId} left the VIP channel"));
        }

        return was;
    }

    public ValueTask<VipEntryChannelCallResult> RevokeLinkAsync(string link, CancellationToken cancellationToken) =>
        Event($"invite link {link} revoked");

    public ValueTask<VipEntryChannelCallResult> RemoveAsync(long personId, VipEntryRemoval removal, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _inside.Remove(personId);
            _banned.Remove(personId);
        }

        return Event(string.Create(CultureInfo.InvariantCulture, $"user {personId} removed from the VIP channel"));
    }

    public ValueTask<VipEntryChannelCallResult> LiftBanAsync(long personId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _banned.Remove(personId);
        }

        return Event(string.Create(CultureInfo.InvariantCulture, $"ban of user {personId} lifted"));
    }

    public ValueTask<VipEntryChannelCallResult> TellAsync(long personId, VipEntryNotice notice, VipEntryPrompt message, CancellationToken cancellationToken) =>
        Show(message);

    public ValueTask<VipEntryChannelCallResult> ShowStepAsync(long personId, VipEntryStep current, CancellationToken cancellationToken) =>
        Show(current.Prompt);

    public ValueTask<bool?> IsInsideAsync(long personId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<bool?>(_inside.Contains(personId));
        }
    }

    private ValueTask<VipEntryChannelCallResult> Show(VipEntryPrompt prompt)
    {
        var message = new RitualMessage(prompt.Text, prompt.Button is null ? [] : [prompt.Button]);
        TerminalRenderer.Write(console, message, "VipEntry bot", firstChoice: 1);
        choices.Replace(message.Buttons);
        return ValueTask.FromResult(VipEntryChannelCallResult.Done);
    }

    private ValueTask<VipEntryChannelCallResult> Event(string text)
    {
        Line(text);
        return ValueTask.FromResult(VipEntryChannelCallResult.Done);
    }

    private void Line(string text) => TerminalRenderer.Line(console, "[grey][[channel]][/] " + Spectre.Console.Markup.Escape(text));
}
