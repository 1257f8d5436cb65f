namespace VipEntry.SampleBot.Ritual;

/// <summary>What the bot answers to one input.</summary>
/// <param name="Messages">Messages to send to the user, in order.</param>
/// <param name="Toast">A short notice for the button press itself (Telegram shows it as the callback answer).</param>
public sealed record RitualReply(IReadOnlyList<RitualMessage> Messages, string? Toast = null)
{
    /// <summary>A reply of plain texts.</summary>
    /// <param name="texts">The texts.</param>
    /// <returns>The reply.</returns>
    public static RitualReply Of(params string[] texts) => new([.. texts.Select(RitualMessage.Plain)]);
}
