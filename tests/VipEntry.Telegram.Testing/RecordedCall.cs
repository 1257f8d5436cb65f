using System.Text.Json.Nodes;

namespace VipEntry.Telegram.Testing;

/// <summary>One Bot API call the bot made, with its parameters.</summary>
/// <param name="Sequence">Its order among all calls (1, 2, …).</param>
/// <param name="Method">The method name, e.g. <c>sendMessage</c>.</param>
/// <param name="Body">The JSON body (empty object when none).</param>
/// <param name="Failed">Whether the fake answered it with an error or dropped it.</param>
public sealed record RecordedCall(int Sequence, string Method, JsonObject Body, bool Failed)
{
    /// <summary>When the fake received it (UTC).</summary>
    public DateTime ReceivedAt { get; init; } = DateTime.UtcNow;

    /// <summary>A number parameter (e.g. <c>chat_id</c>, <c>user_id</c>, <c>expire_date</c>).</summary>
    public long? Number(string name) => Body[name] is JsonValue v && v.TryGetValue<long>(out var l) ? l : null;

    /// <summary>A string parameter (e.g. <c>text</c>, <c>name</c>, <c>invite_link</c>).</summary>
    public string? Text(string name) => Body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A Boolean parameter (e.g. <c>creates_join_request</c>, <c>only_if_banned</c>).</summary>
    public bool? Bool(string name) => Body[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    /// <summary>Whether the call carried the parameter at all.</summary>
    public bool Has(string name) => Body.ContainsKey(name);

    /// <summary>The inline keyboard's buttons (reply_markup.inline_keyboard), flattened.</summary>
    public IReadOnlyList<JsonObject> Buttons =>
        Body["reply_markup"]?["inline_keyboard"] is JsonArray rows
            ? [.. rows.OfType<JsonArray>().SelectMany(r => r.OfType<JsonObject>())]
            : [];

    /// <summary>The callback data of the keyboard's buttons.</summary>
    public IReadOnlyList<string> CallbackData => [.. Buttons.Select(b => b["callback_data"]?.GetValue<string>()).OfType<string>()];

    /// <summary>The URLs of the keyboard's URL buttons.</summary>
    public IReadOnlyList<string> Urls => [.. Buttons.Select(b => b["url"]?.GetValue<string>()).OfType<string>()];

    /// <inheritdoc />
    public override string ToString() => $"#{Sequence} {Method}{(Failed ? " (failed)" : string.Empty)} {Body.ToJsonString()}";
}
