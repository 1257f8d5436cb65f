using System.Net;
using System.Text.Json.Nodes;
using VipEntry.SampleBot.Configuration;
using VipEntry.Telegram.Testing;

namespace VipEntry.SampleBot.Tests;

/// <summary>The sample in webhook mode, in-process: real Kestrel, real Telegram.Bot client, fake Bot API on loopback.</summary>
[Collection("SampleBot")]
public sealed class WebhookModeTests
{
    private const long Member = 42;
    private const long Stranger = 77;

    private static TimeSpan Timeout => WebhookBotHarness.Timeout;

    [Fact]
    public async Task At_start_it_sets_the_webhook_with_url_secret_and_allowed_updates_is_healthy_and_never_polls()
    {
        await using var bot = new WebhookBotHarness();
        await bot.StartAsync();
        var set = await bot.Api.WaitForCallAsync("setWebhook", timeout: Timeout);
        Assert.Equal(WebhookBotHarness.WebhookUrl, set.Text("url"));
        Assert.Equal(WebhookBotHarness.Secret, set.Text("secret_token"));
        var allowed = set.Body["allowed_updates"]!.AsArray().Select(n => n!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "message", "callback_query", "chat_join_request", "chat_member" }, allowed);
        await WaitForHealthyAsync(bot);

        // A whole ritual over the webhook, each reply sent before the 200.
        var code = await bot.NewCodeAsync();
        var before = await bot.SayAsync(Member, "/start " + code);
        Assert.Contains(bot.Api.Calls("sendMessage"), c => c.Sequence > before && c.Number("chat_id") == Member && c.CallbackData.Contains("vipe:1:1"));
        before = bot.Api.LastSequence;
        await bot.PressAsync(Member, "vipe:1:1");
        await bot.ReplyToAsync(Member, before, c => c.CallbackData.Contains("vipe:1:2"));
        before = bot.Api.LastSequence;
        await bot.PressAsync(Member, "vipe:1:2");
        var link = Assert.Single((await bot.ReplyToAsync(Member, before, c => c.Urls.Count == 1)).Urls);
        before = bot.Api.LastSequence;
        await bot.SendAsync(TelegramUpdates.JoinRequest(WebhookBotHarness.VipChatId, Stranger, link));
        Assert.Contains(bot.Api.Calls("declineChatJoinRequest"), c => c.Sequence > before && c.Number("user_id") == Stranger);
        before = bot.Api.LastSequence;
        await bot.SendAsync(TelegramUpdates.JoinRequest(WebhookBotHarness.VipChatId, Member, link));
        Assert.Contains(bot.Api.Calls("approveChatJoinRequest"), c => c.Sequence > before && c.Number("user_id") == Member);

        Assert.Empty(bot.Api.Calls("getUpdates"));
        Assert.Empty(bot.Api.Calls("deleteWebhook"));
    }

    [Fact]
    public async Task Healthz_is_503_until_the_webhook_is_set()
    {
        await using var bot = new WebhookBotHarness();
        var gate = bot.Api.Hold("setWebhook");
        await bot.StartAsync();
        await bot.Api.WaitForArrivedAsync("setWebhook", 1, Timeout);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await bot.GetHealthAsync());
        gate.Release();
        await WaitForHealthyAsync(bot);
    }

    [Fact]
    public async Task An_update_without_the_exact_secret_gets_401_and_is_not_processed()
    {
        await using var bot = new WebhookBotHarness();
        await bot.StartAsync();
        string?[] wrong = [null, string.Empty, "wrong", WebhookBotHarness.Secret[..^1], WebhookBotHarness.Secret + "x", WebhookBotHarness.Secret.ToUpperInvariant(), WebhookBotHarness.Secret + "," + WebhookBotHarness.Secret];
        foreach (var secret in wrong)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await bot.PostAsync(TelegramUpdates.PrivateText(Member, "/help"), secret));
        }

        // Not even a bad body is looked at without the secret.
        Assert.Equal(HttpStatusCode.Unauthorized, await bot.PostRawAsync("not json", secret: null));
        Assert.Empty(bot.Api.Calls("sendMessage"));

        // The right one: processed, its reply sent before the 200.
        Assert.Equal(HttpStatusCode.OK, await bot.PostAsync(TelegramUpdates.PrivateText(Member, "/help")));
        Assert.Single(bot.Api.Calls("sendMessage"), c => c.Number("chat_id") == Member && c.Text("text")!.Contains("/newcode", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_that_is_not_an_update_gets_400_and_an_update_kind_the_bot_does_not_handle_gets_200()
    {
        await using var bot = new WebhookBotHarness();
        await bot.StartAsync();
        foreach (var body in new[] { "not json", string.Empty, "[]", "42", "{}", """{"update_id":"seven"}""", """{"update_id":7,"message":"nope"}""" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, await bot.PostRawAsync(body));
        }

        Assert.Equal(HttpStatusCode.OK, await bot.PostAsync(TelegramUpdates.FromTheFuture()));
        Assert.Equal(HttpStatusCode.OK, await bot.PostAsync(SampleUpdates.Sticker(Member)));
        Assert.Equal(HttpStatusCode.OK, await bot.PostAsync(TelegramUpdates.JoinRequest(-100999, Member, "https://t.me/+whatever")));
        Assert.Empty(bot.Api.Calls("sendMessage"));
        Assert.Empty(bot.Api.Calls("declineChatJoinRequest"));
    }

    [Fact]
    public async Task Issue10_An_update_missing_from_chat_or_member_objects_gets_200_not_500_and_changes_nothing()
    {
        // Before the fix a chat_member update without new_chat_member and a message without chat threw in the sample's
        // handler: 500, and Telegram would redeliver the update again and again.
        await using var bot = new WebhookBotHarness();
        await bot.StartAsync();
        JsonObject[] malformed =
        [
            TelegramUpdates.Without(TelegramUpdates.PrivateText(Stranger, "/start"), "message", "from"),
            TelegramUpdates.Without(TelegramUpdates.PrivateText(Stranger, "/status"), "message", "chat"),
            TelegramUpdates.Without(TelegramUpdates.Callback(Stranger, "vipe:1:1", "w-1", messageId: 3), "callback_query", "from"),
            TelegramUpdates.Without(TelegramUpdates.Callback(Stranger, "other:1", "w-2", messageId: 3), "callback_query", "from"),
            TelegramUpdates.Without(TelegramUpdates.JoinRequest(WebhookBotHarness.VipChatId, Stranger, "https://t.me/+x"), "chat_join_request", "from"),
            TelegramUpdates.Without(TelegramUpdates.JoinRequest(WebhookBotHarness.VipChatId, Stranger, "https://t.me/+x"), "chat_join_request", "chat"),
            TelegramUpdates.Without(TelegramUpdates.MemberJoined(WebhookBotHarness.VipChatId, Stranger), "chat_member", "new_chat_member"),
            TelegramUpdates.Without(TelegramUpdates.MemberJoined(WebhookBotHarness.VipChatId, Stranger), "chat_member", "old_chat_member"),
            TelegramUpdates.Without(TelegramUpdates.MemberJoined(WebhookBotHarness.VipChatId, Stranger), "chat_member", "chat"),
        ];

        foreach (var update in malformed)
        {
            Assert.Equal(HttpStatusCode.OK, await bot.PostAsync(update));
        }

        Assert.Empty(bot.Api.Calls("approveChatJoinRequest"));
        Assert.Empty(bot.Api.Calls("banChatMember"));
        Assert.DoesNotContain(bot.Api.Calls("sendMessage"), c => c.Number("chat_id") == Stranger);
    }

    [Fact]
    public async Task The_same_update_delivered_twice_even_at_once_is_processed_once()
    {
        await using var bot = new WebhookBotHarness();
        await bot.StartAsync();

        // One after the other (Telegram retrying an update whose 200 it did not see): the second is acknowledged, not processed.
        var help = TelegramUpdates.PrivateText(Member, "/help");
        help["update_id"] = 5_000;
        Assert.Equal(HttpStatusCode.OK, await bot.PostAsync(help));
        Assert.Equal(HttpStatusCode.OK, await bot.PostAsync((JsonObject)help.DeepClone()));
        Assert.Single(bot.Api.Calls("sendMessage"));

        // At the same moment: one is processed; the other waits for it (409, Telegram retries) or sees it done (200).
        var status = TelegramUpdates.PrivateText(Member, "/status");
        status["update_id"] = 5_001;
        var gate = bot.Api.Hold("sendMessage");
        var first = bot.PostAsync(status);
        await bot.Api.WaitForArrivedAsync("sendMessage", 2, Timeout);
        var second = await bot.PostAsync((JsonObject)status.DeepClone());
        Assert.Equal(HttpStatusCode.Conflict, second);
        gate.Release();
        Assert.Equal(HttpStatusCode.OK, await first);
        Assert.Equal(HttpStatusCode.OK, await bot.PostAsync((JsonObject)status.DeepClone()));
        Assert.Equal(2, bot.Api.Calls("sendMessage").Count);
    }

    [Fact]
    public async Task Issue15_Healthz_reports_VipEntrys_checks_503_while_the_store_does_not_answer_then_200()
    {
        await using var bot = new WebhookBotHarness();
        await bot.StartAsync();
        await WaitForHealthyAsync(bot);

        // The store stops answering (its table is gone): VipEntry's store check is unhealthy, and so is /healthz.
        await ExecuteAsync(bot, "ALTER TABLE vip_subscribers RENAME TO vip_subscribers_away");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await bot.GetHealthAsync());

        await ExecuteAsync(bot, "ALTER TABLE vip_subscribers_away RENAME TO vip_subscribers");
        await WaitForHealthyAsync(bot);
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("has space", "is invalid")]
    [InlineData("bad!", "is invalid")]
    [InlineData("ñ", "is invalid")]
    public void Webhook_mode_without_a_valid_secret_refuses_to_start_naming_the_setting(string? secret, string what)
    {
        var args = new List<string> { "--Telegram:BotToken=" + FakeBotApiServer.Token, "--Telegram:WebhookUrl=" + WebhookBotHarness.WebhookUrl, "--Telegram:VipChatId=-100123" };
        if (secret is not null)
        {
            args.Add("--Telegram:WebhookSecret=" + secret);
        }

        var error = Assert.Throws<SampleConfigurationException>(() => SampleBotHost.Build([.. args]));
        Assert.Contains("Telegram__WebhookSecret " + what, error.Message, StringComparison.Ordinal);
        var tooLong = Assert.Throws<SampleConfigurationException>(() => SampleBotHost.Build([.. args.Where(a => !a.StartsWith("--Telegram:WebhookSecret", StringComparison.Ordinal)), "--Telegram:WebhookSecret=" + new string('a', 257)]));
        Assert.Contains("Telegram__WebhookSecret is invalid", tooLong.Message, StringComparison.Ordinal);
    }

    private static async Task ExecuteAsync(WebhookBotHarness bot, string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + bot.DatabasePath + ";Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task WaitForHealthyAsync(WebhookBotHarness bot)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (await bot.GetHealthAsync() != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "/healthz never said 200");
            await Task.Delay(50);
        }
    }
}
