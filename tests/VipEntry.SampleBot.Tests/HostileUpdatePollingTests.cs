using Microsoft.Extensions.Logging;
using System.Text.Json.Nodes;
using VipEntry.Telegram.Testing;

namespace VipEntry.SampleBot.Tests;

/// <summary>
/// Issue 10, hostile input through the fake Bot API's <c>getUpdates</c>: the sample in Telegram polling mode (the real
/// Telegram.Bot poller and the <c>VipEntry.Core.Telegram</c> package) is sent malformed and unexpected updates — no
/// <c>from</c>, no <c>chat</c>, no member objects, unknown types, 1 MB texts, other chats, someone else's buttons and
/// link. The poller takes every one (its next <c>getUpdates</c> confirms it), nobody is approved, and afterwards the real
/// member still gets in with their link.
/// </summary>
[Collection("SampleBot")]
public sealed class HostileUpdatePollingTests : IAsyncLifetime
{
    private const long Member = 61;
    private const long Stranger = 62;
    private const long OtherChat = -1009999999999;
    private const long Vip = TelegramBotHarness.VipChatId;

    private readonly TelegramBotHarness _bot = new();

    public async ValueTask InitializeAsync() => await _bot.StartAsync();

    public async ValueTask DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Issue10_malformed_and_unexpected_updates_through_getUpdates_crash_nothing_admit_nobody_and_the_member_still_gets_in()
    {
        var stage3 = await _bot.ReachLinkAsync(Member);
        var link = Assert.Single(stage3.Urls);
        var huge = new string('x', 1 << 20);

        JsonObject[] hostile =
        [
            TelegramUpdates.Without(TelegramUpdates.PrivateText(Stranger, "/start"), "message", "from"),
            TelegramUpdates.Without(TelegramUpdates.PrivateText(Stranger, "/status"), "message", "chat"),
            TelegramUpdates.Without(TelegramUpdates.Callback(Stranger, "vipe:1:1", "h-1", messageId: stage3.Sequence), "callback_query", "from"),
            TelegramUpdates.Without(TelegramUpdates.JoinRequest(Vip, Stranger, link), "chat_join_request", "from"),
            TelegramUpdates.Without(TelegramUpdates.JoinRequest(Vip, Member, link), "chat_join_request", "chat"),
            TelegramUpdates.Without(TelegramUpdates.MemberJoined(Vip, Stranger), "chat_member", "new_chat_member"),
            TelegramUpdates.Without(TelegramUpdates.MemberJoined(Vip, Stranger), "chat_member", "old_chat_member"),
            TelegramUpdates.FromTheFuture(),
            [],
            TelegramUpdates.PrivateText(Stranger, huge),
            TelegramUpdates.PrivateText(Stranger, "/start " + huge),
            TelegramUpdates.Callback(Stranger, "vipe:1:" + huge, "h-2", messageId: stage3.Sequence),
            TelegramUpdates.JoinRequest(Vip, Stranger, "https://t.me/+" + huge),
            TelegramUpdates.JoinRequest(OtherChat, Member, link),
            TelegramUpdates.JoinRequest(OtherChat, Stranger, link),
            TelegramUpdates.JoinRequest(Vip, Stranger, link),                       // someone else's link
            TelegramUpdates.JoinRequest(Vip, Stranger, "https://t.me/+NOSUCHLINK"),
            TelegramUpdates.Callback(Stranger, "vipe:1:2", "h-3", messageId: stage3.Sequence),   // someone else's prompt
            TelegramUpdates.Callback(Stranger, "vipe:1:r", "h-4", messageId: stage3.Sequence),
            TelegramUpdates.Callback(Member, "vipe:1:1", "h-5", messageId: stage3.Sequence),     // a stale press of the member
            TelegramUpdates.MemberChanged(OtherChat, Stranger, "left", "member"),
            TelegramUpdates.MemberChanged(Vip, Stranger, "member", "left"),
            TelegramUpdates.MemberChanged(Vip, Stranger, "member", "member"),
            new JsonObject { ["edited_message"] = TelegramUpdates.PrivateText(Stranger, "/start")["message"]!.DeepClone() },
        ];

        foreach (var update in hostile)
        {
            await _bot.SendAsync(update);
        }

        // The same updates again, as a redelivery would (new update ids: the poller acknowledged the first ones).
        foreach (var update in hostile)
        {
            var again = (JsonObject)update.DeepClone();
            again.Remove("update_id");
            await _bot.SendAsync(again);
        }

        // Nothing failed on the bot's side: no update's handling threw (the sample logs that as an error and tells the
        // member "something went wrong").
        Assert.DoesNotContain(_bot.Logs, r => r.Level >= LogLevel.Error);
        Assert.DoesNotContain(_bot.Api.Calls("sendMessage"), c => c.Text("text")?.Contains("went wrong", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(_bot.Api.Calls("approveChatJoinRequest"), c => c.Number("user_id") != Member);
        Assert.Empty(_bot.Api.Calls("approveChatJoinRequest"));

        // The real member was not moved by any of it: their link is still theirs, and it gets them in.
        var before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.JoinRequest(Vip, Member, link));
        var approve = await _bot.Api.WaitForCallAsync("approveChatJoinRequest", c => c.Number("user_id") == Member, afterSequence: before);
        Assert.Equal(Vip, approve.Number("chat_id"));
        Assert.Single(_bot.Api.Calls("approveChatJoinRequest"));
        Assert.Single(_bot.Api.Calls("createChatInviteLink"));
    }
}
