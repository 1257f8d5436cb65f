using System.Text.Json.Nodes;

namespace VipEntry.SampleBot.Tests.FakeBotApi;

/// <summary>Bot API update objects as Telegram sends them (update_id is set by the server).</summary>
public static class Updates
{
    private static int _nextId;

    public static JsonObject User(long id) => new() { ["id"] = id, ["is_bot"] = false, ["first_name"] = $"User{id}" };

    public static JsonObject PrivateText(long userId, string text)
    {
        var message = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref _nextId),
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = userId, ["type"] = "private", ["first_name"] = $"User{userId}" },
            ["from"] = User(userId),
            ["text"] = text,
        };
        if (text.StartsWith('/'))
        {
            var length = text.Contains(' ', StringComparison.Ordinal) ? text.IndexOf(' ', StringComparison.Ordinal) : text.Length;
            message["entities"] = new JsonArray(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = length });
        }

        return new JsonObject { ["message"] = message };
    }

    public static JsonObject GroupText(long userId, long groupId, string text) => new()
    {
        ["message"] = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref _nextId),
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = groupId, ["type"] = "supergroup", ["title"] = "Some group" },
            ["from"] = User(userId),
            ["text"] = text,
        },
    };

    public static JsonObject Sticker(long userId) => new()
    {
        ["message"] = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref _nextId),
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = userId, ["type"] = "private" },
            ["from"] = User(userId),
        },
    };

    public static JsonObject Callback(long userId, string? data, string queryId, int? messageId = null)
    {
        var query = new JsonObject { ["id"] = queryId, ["from"] = User(userId), ["chat_instance"] = "instance" };
        if (messageId is { } pressed)
        {
            query["message"] = new JsonObject
            {
                ["message_id"] = pressed,
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["chat"] = new JsonObject { ["id"] = userId, ["type"] = "private" },
                ["text"] = "a stage prompt",
            };
        }

        if (data is not null)
        {
            query["data"] = data;
        }

        return new JsonObject { ["callback_query"] = query };
    }

    public static JsonObject JoinRequest(long chatId, long userId, string? link) => new()
    {
        ["chat_join_request"] = new JsonObject
        {
            ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "channel", ["title"] = "VIP" },
            ["from"] = User(userId),
            ["user_chat_id"] = userId,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["invite_link"] = link is null ? null : new JsonObject
            {
                ["invite_link"] = link,
                ["creator"] = FakeBotApiServer.BotUser(),
                ["creates_join_request"] = true,
                ["is_primary"] = false,
                ["is_revoked"] = false,
            },
        },
    };

    public static JsonObject MemberJoined(long chatId, long userId) => new()
    {
        ["chat_member"] = new JsonObject
        {
            ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "channel", ["title"] = "VIP" },
            ["from"] = User(userId),
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["old_chat_member"] = new JsonObject { ["status"] = "left", ["user"] = User(userId) },
            ["new_chat_member"] = new JsonObject { ["status"] = "member", ["user"] = User(userId) },
        },
    };

    /// <summary>An update of a kind this Bot API version does not know.</summary>
    public static JsonObject FromTheFuture() => new() { ["quantum_entanglement"] = new JsonObject { ["spin"] = "up" } };
}
