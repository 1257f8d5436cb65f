using System.Text.Json.Nodes;
using VipEntry.Telegram.Testing;

namespace VipEntry.SampleBot.Tests;

/// <summary>Updates the sample's tests need beyond <see cref="TelegramUpdates"/>: messages the bot must leave alone.</summary>
public static class SampleUpdates
{
    private static int _nextId = 2_000_000;

    public static JsonObject GroupText(long userId, long groupId, string text) => new()
    {
        ["message"] = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref _nextId),
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = groupId, ["type"] = "supergroup", ["title"] = "Some group" },
            ["from"] = TelegramUpdates.User(userId),
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
            ["from"] = TelegramUpdates.User(userId),
        },
    };

    /// <summary>Waits until <paramref name="count"/> calls of <paramref name="method"/> after <paramref name="afterSequence"/> have arrived (held ones included).</summary>
    public static async Task WaitForArrivedAsync(this FakeBotApiServer api, string method, int count, TimeSpan timeout, int afterSequence = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (api.Calls(method).Count(c => c.Sequence > afterSequence) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Fewer than {count} {method} calls arrived. Calls seen:\n{api.Describe()}");
            }

            await Task.Delay(25);
        }
    }
}
