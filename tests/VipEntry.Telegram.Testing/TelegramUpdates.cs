using System.Text.Json;
using System.Text.Json.Nodes;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace VipEntry.Telegram.Testing;

/// <summary>
/// Bot API objects as Telegram sends them, as JSON (to queue on the fake server for getUpdates) or, with
/// <see cref="ToUpdate"/>, as <see cref="Update"/> objects deserialized the way Telegram.Bot does it (for a webhook-style
/// entry point).
/// </summary>
public static class TelegramUpdates
{
    private static int _nextMessageId = 1_000_000;
    private static int _nextUpdateId = 1_000_000;

    /// <summary>A user; <paramref name="languageCode"/> is their app's language (<c>es</c>, <c>en</c>, …).</summary>
    public static JsonObject User(long id, string? languageCode = null, bool isBot = false)
    {
        var user = new JsonObject { ["id"] = id, ["is_bot"] = isBot, ["first_name"] = $"User{id}" };
        if (languageCode is not null)
        {
            user["language_code"] = languageCode;
        }

        return user;
    }

    /// <summary>A text message in the private chat with the bot (with a bot_command entity when it starts with <c>/</c>).</summary>
    public static JsonObject PrivateText(long userId, string text, string? languageCode = null)
    {
        var message = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref _nextMessageId),
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = userId, ["type"] = "private", ["first_name"] = $"User{userId}" },
            ["from"] = User(userId, languageCode),
            ["text"] = text,
        };
        if (text.StartsWith('/'))
        {
            var length = text.Contains(' ', StringComparison.Ordinal) ? text.IndexOf(' ', StringComparison.Ordinal) : text.Length;
            message["entities"] = new JsonArray(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = length });
        }

        return new JsonObject { ["message"] = message };
    }

    /// <summary>A press of an inline button with <paramref name="data"/>, on the bot's message <paramref name="messageId"/> when given.</summary>
    public static JsonObject Callback(long userId, string? data, string queryId, int? messageId = null, string? languageCode = null)
    {
        var query = new JsonObject { ["id"] = queryId, ["from"] = User(userId, languageCode), ["chat_instance"] = "instance" };
        if (messageId is { } pressed)
        {
            query["message"] = new JsonObject
            {
                ["message_id"] = pressed,
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["chat"] = new JsonObject { ["id"] = userId, ["type"] = "private" },
                ["from"] = FakeBotApiServer.BotUser(),
                ["text"] = "a stage prompt",
            };
        }

        if (data is not null)
        {
            query["data"] = data;
        }

        return new JsonObject { ["callback_query"] = query };
    }

    /// <summary>A request to join <paramref name="chatId"/> through <paramref name="link"/> (<c>user_chat_id</c> = the user).</summary>
    public static JsonObject JoinRequest(long chatId, long userId, string? link, string? languageCode = null) => new()
    {
        ["chat_join_request"] = new JsonObject
        {
            ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "channel", ["title"] = "VIP" },
            ["from"] = User(userId, languageCode),
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

    /// <summary>A <c>chat_member</c> update: <paramref name="userId"/> went from <paramref name="oldStatus"/> to <paramref name="newStatus"/> in <paramref name="chatId"/>.</summary>
    public static JsonObject MemberChanged(long chatId, long userId, string oldStatus, string newStatus, bool isBot = false) => new()
    {
        ["chat_member"] = new JsonObject
        {
            ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "channel", ["title"] = "VIP" },
            ["from"] = User(userId),
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["old_chat_member"] = Member(userId, oldStatus, isBot),
            ["new_chat_member"] = Member(userId, newStatus, isBot),
        },
    };

    /// <summary>A user joined <paramref name="chatId"/> (left → member).</summary>
    public static JsonObject MemberJoined(long chatId, long userId) => MemberChanged(chatId, userId, "left", "member");

    /// <summary>A ChatMember object of the given status, with the fields Telegram sends for it.</summary>
    public static JsonObject Member(long userId, string status, bool isBot = false)
    {
        var member = new JsonObject { ["status"] = status, ["user"] = User(userId, isBot: isBot) };
        switch (status)
        {
            case "creator":
                member["is_anonymous"] = false;
                break;
            case "administrator":
                foreach (var right in (string[])["can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories", "can_delete_stories"])
                {
                    member[right] = false;
                }

                break;
            case "restricted":
                member["is_member"] = true;
                member["until_date"] = 0;
                foreach (var right in (string[])["can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos", "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls", "can_send_other_messages", "can_add_web_page_previews", "can_change_info", "can_invite_users", "can_pin_messages", "can_manage_topics"])
                {
                    member[right] = false;
                }

                break;
            case "kicked":
                member["until_date"] = 0;
                break;
        }

        return member;
    }

    /// <summary>A <c>pre_checkout_query</c> from <paramref name="userId"/> for an invoice with <paramref name="payload"/>.</summary>
    public static JsonObject PreCheckout(long userId, string payload, long amount, string queryId, string currency = "XTR", string? languageCode = null) => new()
    {
        ["pre_checkout_query"] = new JsonObject
        {
            ["id"] = queryId,
            ["from"] = User(userId, languageCode),
            ["currency"] = currency,
            ["total_amount"] = amount,
            ["invoice_payload"] = payload,
        },
    };

    /// <summary>
    /// A <c>successful_payment</c> service message in the private chat of <paramref name="userId"/>: a Stars subscription
    /// payment (<c>is_recurring</c>, <c>is_first_recurring</c> on the first) whose period ends at <paramref name="expiresAt"/>
    /// (Unix seconds on the wire, as Telegram sends it).
    /// </summary>
    public static JsonObject SuccessfulPayment(long userId, string payload, string chargeId, long amount, DateTimeOffset? expiresAt, bool isFirst, string currency = "XTR", bool isRecurring = true)
    {
        var paid = new JsonObject
        {
            ["currency"] = currency,
            ["total_amount"] = amount,
            ["invoice_payload"] = payload,
            ["telegram_payment_charge_id"] = chargeId,
            ["provider_payment_charge_id"] = string.Empty,
        };
        if (expiresAt is { } end)
        {
            paid["subscription_expiration_date"] = end.ToUnixTimeSeconds();
        }

        if (isRecurring)
        {
            paid["is_recurring"] = true;
        }

        if (isFirst)
        {
            paid["is_first_recurring"] = true;
        }

        return new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["message_id"] = Interlocked.Increment(ref _nextMessageId),
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["chat"] = new JsonObject { ["id"] = userId, ["type"] = "private", ["first_name"] = $"User{userId}" },
                ["from"] = User(userId),
                ["successful_payment"] = paid,
            },
        };
    }

    /// <summary>The update with <paramref name="field"/> of its <paramref name="kind"/> object taken out (a malformed update: Telegram.Bot then leaves that field null).</summary>
    public static JsonObject Without(this JsonObject update, string kind, string field)
    {
        ArgumentNullException.ThrowIfNull(update);
        update[kind]!.AsObject().Remove(field);
        return update;
    }

    /// <summary>An update of a kind this Bot API version does not know.</summary>
    public static JsonObject FromTheFuture() => new() { ["quantum_entanglement"] = new JsonObject { ["spin"] = "up" } };

    /// <summary>The update as Telegram.Bot deserializes it (an update_id is given when it has none).</summary>
    public static Update ToUpdate(this JsonObject update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var json = (JsonObject)update.DeepClone();
        if (!json.ContainsKey("update_id"))
        {
            json["update_id"] = Interlocked.Increment(ref _nextUpdateId);
        }

        return JsonSerializer.Deserialize<Update>(json.ToJsonString(), JsonBotAPI.Options)
            ?? throw new InvalidOperationException("Not an update.");
    }
}
