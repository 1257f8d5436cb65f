using System.Text.Json.Nodes;

namespace VipEntry.SampleBot.Tests.FakeBotApi;

/// <summary>One Bot API call the bot made.</summary>
/// <param name="Sequence">Its order among all calls.</param>
/// <param name="Method">The method name, e.g. <c>sendMessage</c>.</param>
/// <param name="Body">The JSON body (empty object when none).</param>
/// <param name="Failed">Whether the fake answered it with an error.</param>
public sealed record RecordedCall(int Sequence, string Method, JsonObject Body, bool Failed)
{
    /// <summary>When the fake received it (UTC).</summary>
    public DateTime ReceivedAt { get; init; } = DateTime.UtcNow;

    public long? Number(string name) => Body[name] is JsonValue v && v.TryGetValue<long>(out var l) ? l : null;

    public string? Text(string name) => Body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public bool? Bool(string name) => Body[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    /// <summary>The inline keyboard's buttons (reply_markup.inline_keyboard), flattened.</summary>
    public IReadOnlyList<JsonObject> Buttons =>
        Body["reply_markup"]?["inline_keyboard"] is JsonArray rows
            ? [.. rows.OfType<JsonArray>().SelectMany(r => r.OfType<JsonObject>())]
            : [];

    public IReadOnlyList<string> CallbackData => [.. Buttons.Select(b => b["callback_data"]?.GetValue<string>()).OfType<string>()];

    public IReadOnlyList<string> Urls => [.. Buttons.Select(b => b["url"]?.GetValue<string>()).OfType<string>()];
}
