namespace VipEntry.SampleBot.Ritual;

/// <summary>An offer that was made (or not).</summary>
/// <param name="Sells">Whether the bot sells access (on Telegram: <c>Telegram__StarsPrice</c> is set).</param>
/// <param name="ToSend">Messages still to send, after the caller's own.</param>
public sealed record RitualOffer(bool Sells, IReadOnlyList<RitualMessage> ToSend);
