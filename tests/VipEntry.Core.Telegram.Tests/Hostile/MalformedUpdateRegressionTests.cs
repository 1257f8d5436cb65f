using System.Text.Json.Nodes;
using VipEntry.Core.Stages;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests.Hostile;

/// <summary>Defects the hostile updates found: a missing required field made HandleUpdateAsync throw a NullReferenceException.</summary>
public sealed class MalformedUpdateRegressionTests
{
    private const long Vip = TelegramTestHost.VipChatId;

    public static TheoryData<string, string, bool> Missing => new()
    {
        { "callback_query", "from", true },
        { "chat_join_request", "from", false },
        { "chat_join_request", "chat", false },
        { "chat_member", "new_chat_member", false },
        { "chat_member", "old_chat_member", false },
    };

    [Theory]
    [MemberData(nameof(Missing))]
    public async Task Issue10_Update1_an_update_missing_a_required_field_is_not_an_exception(string kind, string field, bool handled)
    {
        await using var host = new TelegramTestHost();
        await host.EnrolAsync(9101);
        var update = kind switch
        {
            "callback_query" => TelegramUpdates.Callback(9101, "vipe:1:1", "q-1", messageId: 3),
            "chat_join_request" => TelegramUpdates.JoinRequest(Vip, 9101, "https://t.me/+x"),
            _ => TelegramUpdates.MemberJoined(Vip, 9101),
        };
        ((JsonObject)update[kind]!).Remove(field);

        Assert.Equal(handled, await host.HandleAsync(update));

        Assert.Equal(VipEntryStage.ActivationConfirmation, (await host.StatusAsync(9101)).Stage);
        Assert.Empty(host.Api.Calls("approveChatJoinRequest"));
        Assert.Empty(host.Api.Calls("banChatMember"));
        Assert.Equal(handled ? 1 : 0, host.Api.Calls("answerCallbackQuery").Count);
    }
}
