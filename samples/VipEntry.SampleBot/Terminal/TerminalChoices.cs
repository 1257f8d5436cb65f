using VipEntry.Core.Messages;

namespace VipEntry.SampleBot.Terminal;

/// <summary>
/// The numbered choices on screen: the buttons of the last messages drawn, whether they answered a line typed in the chat
/// or came unprompted from the sweep (e.g. a re-entry link after a renewal), so that "1" or "join" always means what is shown.
/// </summary>
internal sealed class TerminalChoices
{
    private readonly Lock _gate = new();
    private IReadOnlyList<VipEntryButton> _current = [];

    /// <summary>Shows new choices; older ones stay usable until then, like a chat.</summary>
    /// <param name="buttons">The buttons, numbered from 1.</param>
    public void Replace(IReadOnlyList<VipEntryButton> buttons)
    {
        if (buttons.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            _current = [.. buttons];
        }
    }

    /// <summary>The button numbered <paramref name="number"/>, if there is one.</summary>
    /// <param name="number">The number typed.</param>
    /// <returns>The button, or <see langword="null"/>.</returns>
    public VipEntryButton? Get(int number)
    {
        lock (_gate)
        {
            return number >= 1 && number <= _current.Count ? _current[number - 1] : null;
        }
    }

    /// <summary>The last link shown, for "join".</summary>
    /// <returns>The link, or <see langword="null"/>.</returns>
    public string? LastLink()
    {
        lock (_gate)
        {
            return _current.LastOrDefault(b => b.Kind == VipEntryButtonKind.OpenLink)?.Payload;
        }
    }
}
