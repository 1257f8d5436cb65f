using VipEntry.Core.EfCore.Tests.Infrastructure;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using VipEntry.Telegram.Testing;

namespace VipEntry.SampleBot.Tests;

/// <summary>
/// The scale-out path end to end: two real sample processes in webhook mode on one fresh PostgreSQL database, one fake
/// Bot API, updates split between them and some delivered to both at once (as Telegram's retries of a slow webhook do),
/// and one replica killed with SIGKILL mid-update.
/// </summary>
[Collection("SampleBot")]
public sealed class ReplicaTests
{
    private const long AdminId = 1;
    private const long VipChatId = -1001234567890;
    private const long Member = 42;
    private const long Second = 43;
    private const long Later = 44;
    private const long Stranger = 77;
    private const string Path = "/telegram/hook";
    private const string Secret = "replica-test_secret";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Updates delivered, and how many of them went to both replicas at once.
    private int _nextUpdateId = 1000;
    private int _deliveries;
    private int _duplicates;
    private int _conflicts;

    [Fact]
    public async Task Two_replicas_on_one_PostgreSQL_process_each_update_once_and_a_member_continues_after_one_is_killed()
    {
        await PostgresServer.RequireAsync();
        var clock = Stopwatch.StartNew();
        var database = await PostgresServer.CreateDatabaseAsync("replicas");
        await using var api = new FakeBotApiServer();
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["Telegram__BotToken"] = FakeBotApiServer.Token,
                ["Telegram__ApiBaseUrl"] = api.BaseUrl,
                ["Telegram__VipChatId"] = VipChatId.ToString(CultureInfo.InvariantCulture),
                ["Telegram__AdminIds__0"] = AdminId.ToString(CultureInfo.InvariantCulture),
                ["Telegram__WebhookUrl"] = "https://bot.example.com" + Path,
                ["Telegram__WebhookSecret"] = Secret,
                ["ConnectionStrings__VipEntry"] = database,
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["Bot__SweepInterval"] = "00:00:01",
                ["Bot__UpdateLease"] = "00:00:10",
                ["Logging__LogLevel__Default"] = "Warning",
            };

            // Both start at the same moment on the empty database: both come up.
            await using var a = SampleProcess.Start("replica A", environment);
            await using var b = SampleProcess.Start("replica B", environment);
            await Task.WhenAll(a.WaitForListeningAsync(Timeout), b.WaitForListeningAsync(Timeout));
            await Task.WhenAll(WaitForHealthyAsync(a), WaitForHealthyAsync(b));
            var webhooks = api.Calls("setWebhook");
            Assert.Equal(2, webhooks.Count);
            Assert.All(webhooks, w => Assert.Equal(Secret, w.Text("secret_token")));
            Assert.All(webhooks, w => Assert.Contains("chat_member", w.Body["allowed_updates"]!.AsArray().Select(n => n!.GetValue<string>())));

            // Issue 15 (8), on the package's own claims (IVipEntryWebhook, table vip_entry_updates): one update delivered to
            // both replicas at once, A handling it (its reply held): B answers 409; A answers 200 once its reply is sent;
            // Telegram's retry of B's 409 answers 200 without handling it again.
            var help = Stamp(TelegramUpdates.PrivateText(Member, "/help"));
            var helpBefore = api.LastSequence;
            var helpHeld = api.Hold("sendMessage");
            var onA = a.PostAsync(Path, help, Secret);
            await api.WaitForArrivedAsync("sendMessage", 1, Timeout, helpBefore);
            _deliveries += 2;
            Assert.Equal(HttpStatusCode.Conflict, await b.PostAsync(Path, (JsonObject)help.DeepClone(), Secret));
            _conflicts++;
            helpHeld.Release();
            Assert.Equal(HttpStatusCode.OK, await onA);
            _deliveries++;
            Assert.Equal(HttpStatusCode.OK, await b.PostAsync(Path, (JsonObject)help.DeepClone(), Secret));
            Assert.Single(api.Calls("sendMessage"), c => c.Sequence > helpBefore && c.Number("chat_id") == Member);
            Assert.Equal("telegram|True", await ReadClaimAsync(database, (long)help["update_id"]!.GetValue<int>()));

            // Codes from A and B; the member starts on B.
            var code = await NewCodeAsync(api, a);
            var secondCode = await NewCodeAsync(api, b);
            var before = api.LastSequence;
            await DeliverAsync(b, TelegramUpdates.PrivateText(Member, "/start " + code));
            await WaitForMessageAsync(api, Member, before, c => c.CallbackData.Contains("vipe:1:1"));

            // Both presses delivered to both replicas at once: each processed once (one answer, one prompt, one link).
            before = api.LastSequence;
            await DeliverToBothAsync(a, b, TelegramUpdates.Callback(Member, "vipe:1:1", "m42-1"));
            await WaitForMessageAsync(api, Member, before, c => c.CallbackData.Contains("vipe:1:2"));
            Assert.Single(api.Calls("answerCallbackQuery"), c => c.Text("callback_query_id") == "m42-1");
            Assert.Single(api.Calls("sendMessage"), c => c.Sequence > before && c.Number("chat_id") == Member);
            before = api.LastSequence;
            await DeliverToBothAsync(a, b, TelegramUpdates.Callback(Member, "vipe:1:2", "m42-2"));
            var link = Assert.Single((await WaitForMessageAsync(api, Member, before, c => c.Urls.Count == 1)).Urls);
            Assert.Single(api.Calls("createChatInviteLink"), c => c.Text("name")!.Contains("42", StringComparison.Ordinal));
            Assert.Single(api.Calls("answerCallbackQuery"), c => c.Text("callback_query_id") == "m42-2");

            // The link forwarded to a stranger (on A): declined. The member's own request, to both at once: one approval.
            before = api.LastSequence;
            await DeliverAsync(a, TelegramUpdates.JoinRequest(VipChatId, Stranger, link));
            Assert.Contains(api.Calls("declineChatJoinRequest"), c => c.Sequence > before && c.Number("user_id") == Stranger);
            await DeliverToBothAsync(a, b, TelegramUpdates.JoinRequest(VipChatId, Member, link));
            Assert.Single(api.Calls("approveChatJoinRequest"));
            Assert.Equal(Member, api.Calls("approveChatJoinRequest")[0].Number("user_id"));

            // The subscription ends (/revoke on B); both replicas' channel workers sweep every second; the member is removed
            // exactly once: one ban, then one unban only if banned, one message.
            before = api.LastSequence;
            await DeliverAsync(b, TelegramUpdates.PrivateText(AdminId, "/revoke 42"));
            var unban = await api.WaitForCallAsync("unbanChatMember", c => c.Number("user_id") == Member, Timeout, before);
            // The lapse notice: "was removed" from the worker that removed them, or "has ended" when the other replica's
            // cycle took the lapse while the first still held the removal (R19: the removal is that worker's).
            await WaitForMessageAsync(api, Member, before, c => IsLapseNotice(c.Text("text")!));

            // Several more sweeps of both replicas: still once. That later sweeps run at all is shown by a lapse written
            // straight into the database after the removal (no /revoke, so nothing wakes a sweep): only an interval sweep
            // of a replica can find it, and its member is told once.
            before = api.LastSequence;
            await InsertLapsedMemberAsync(database, Later);
            await WaitForMessageAsync(api, Later, before, c => c.Text("text")!.Contains("has ended", StringComparison.Ordinal));
            await DeliverAsync(a, TelegramUpdates.PrivateText(AdminId, "/status 42"));
            await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
            Assert.Single(api.Calls("sendMessage"), c => c.Number("chat_id") == Later);
            var ban = Assert.Single(api.Calls("banChatMember"));
            Assert.Equal(Member, ban.Number("user_id"));
            Assert.Single(api.Calls("unbanChatMember"));
            Assert.True(unban.Bool("only_if_banned"));
            Assert.True(ban.Sequence < unban.Sequence);
            Assert.Single(api.Calls("sendMessage"), c => c.Number("chat_id") == Member && IsLapseNotice(c.Text("text")!));

            // Kill mid-ritual: the second member starts on A and presses; A dies (SIGKILL) while its answer to that press is
            // in flight. Telegram saw no 200, so it delivers the update again, to B: refused while A's claim is live,
            // taken over once its lease runs out; the member goes on, on B.
            before = api.LastSequence;
            await DeliverAsync(a, TelegramUpdates.PrivateText(Second, "/start " + secondCode));
            await WaitForMessageAsync(api, Second, before, c => c.CallbackData.Contains("vipe:1:1"));
            var press = Stamp(TelegramUpdates.Callback(Second, "vipe:1:1", "m43-1"));
            var held = api.Hold("answerCallbackQuery");
            before = api.LastSequence;
            var dying = a.PostAsync(Path, press, Secret);
            await api.WaitForArrivedAsync("answerCallbackQuery", 1, Timeout, before);
            a.Kill();
            Assert.Equal((HttpStatusCode)0, await dying);
            held.Release();
            _deliveries++;
            var retried = await b.PostAsync(Path, (JsonObject)press.DeepClone(), Secret);
            Assert.Equal(HttpStatusCode.Conflict, retried);
            _conflicts++;
            await DeliverAsync(b, press);
            await WaitForMessageAsync(api, Second, before, c => c.CallbackData.Contains("vipe:1:2"));
            before = api.LastSequence;
            await DeliverAsync(b, TelegramUpdates.Callback(Second, "vipe:1:2", "m43-2"));
            var secondLink = Assert.Single((await WaitForMessageAsync(api, Second, before, c => c.Urls.Count == 1)).Urls);
            await DeliverAsync(b, TelegramUpdates.JoinRequest(VipChatId, Second, secondLink));
            Assert.Contains(api.Calls("approveChatJoinRequest"), c => c.Number("user_id") == Second);
            Assert.Equal(2, api.Calls("createChatInviteLink").Count);

            // Never polled: webhooks only.
            Assert.Empty(api.Calls("getUpdates"));
            Assert.True(b.HasExited is false, b.Output);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"replicas: 2 processes, {_deliveries} deliveries of {_nextUpdateId - 1000} updates, {_duplicates} delivered to both at once, {_conflicts} answered 409, {api.Calls().Count} Bot API calls, {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task A_replica_in_webhook_mode_without_a_secret_exits_non_zero_at_once_naming_the_setting()
    {
        var environment = new Dictionary<string, string>
        {
            ["Telegram__BotToken"] = FakeBotApiServer.Token,
            ["Telegram__WebhookUrl"] = "https://bot.example.com" + Path,
            ["Telegram__VipChatId"] = VipChatId.ToString(CultureInfo.InvariantCulture),
        };
        await using var missing = SampleProcess.Start("no secret", environment);
        Assert.NotEqual(0, await missing.WaitForExitAsync(Timeout));
        Assert.Contains("Telegram__WebhookSecret is required", missing.Output, StringComparison.Ordinal);

        environment["Telegram__WebhookSecret"] = "not a valid secret!";
        await using var invalid = SampleProcess.Start("invalid secret", environment);
        Assert.NotEqual(0, await invalid.WaitForExitAsync(Timeout));
        Assert.Contains("Telegram__WebhookSecret is invalid", invalid.Output, StringComparison.Ordinal);
    }

    private JsonObject Stamp(JsonObject update)
    {
        update["update_id"] = Interlocked.Increment(ref _nextUpdateId);
        return update;
    }

    // The package's claim of an update (source|done), and that the sample's own telegram_updates table is gone.
    private static async Task<string?> ReadClaimAsync(string database, long updateId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using (var gone = new NpgsqlCommand("SELECT to_regclass('telegram_updates') IS NULL", connection))
        {
            Assert.True((bool)(await gone.ExecuteScalarAsync())!);
        }

        await using var read = new NpgsqlCommand("SELECT source || '|' || CASE WHEN done THEN 'True' ELSE 'False' END FROM vip_entry_updates WHERE update_id = @id", connection);
        read.Parameters.AddWithValue("id", updateId);
        return (string?)await read.ExecuteScalarAsync();
    }

    // Telegram's way: deliver until a 2xx, retrying after a non-2xx.
    private async Task DeliverAsync(SampleProcess replica, JsonObject update)
    {
        if (!update.ContainsKey("update_id"))
        {
            Stamp(update);
        }

        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            _deliveries++;
            var status = await replica.PostAsync(Path, (JsonObject)update.DeepClone(), Secret);
            if (status == HttpStatusCode.OK)
            {
                return;
            }

            if (status == HttpStatusCode.Conflict)
            {
                _conflicts++;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{replica.Name} never took update {update["update_id"]} (last {status}).\n{replica.Output}");
            await Task.Delay(250);
        }
    }

    // The same update (same update_id) to both replicas at the same moment; each delivery retried until it is acknowledged.
    private async Task DeliverToBothAsync(SampleProcess a, SampleProcess b, JsonObject update)
    {
        Stamp(update);
        _duplicates++;
        await Task.WhenAll(DeliverAsync(a, update), DeliverAsync(b, update));
    }

    private async Task<string> NewCodeAsync(FakeBotApiServer api, SampleProcess replica)
    {
        var before = api.LastSequence;
        await DeliverAsync(replica, TelegramUpdates.PrivateText(AdminId, "/newcode 30"));
        var reply = await WaitForMessageAsync(api, AdminId, before, c => c.Text("text")!.Contains("?start=", StringComparison.Ordinal));
        return WebhookBotHarness.DeepLink().Match(reply.Text("text")!).Groups["code"].Value;
    }

    private static Task<RecordedCall> WaitForMessageAsync(FakeBotApiServer api, long chatId, int afterSequence, Func<RecordedCall, bool> match) =>
        api.WaitForCallAsync("sendMessage", c => c.Number("chat_id") == chatId && match(c), Timeout, afterSequence);

    // A member at stage 1 whose subscription ended a minute ago, as a row the bot did not write.
    private static async Task InsertLapsedMemberAsync(string database, long userId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var insert = new NpgsqlCommand("INSERT INTO vip_subscribers (user_id, expires_at, vip_entry_stage) VALUES (@id, now() - interval '1 minute', 1)", connection);
        insert.Parameters.AddWithValue("id", userId);
        Assert.Equal(1, await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
    }

    private static async Task WaitForHealthyAsync(SampleProcess replica)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (await replica.GetHealthAsync() != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{replica.Name} never became healthy.\n{replica.Output}");
            Assert.False(replica.HasExited, $"{replica.Name} exited.\n{replica.Output}");
            await Task.Delay(100);
        }
    }

    private static bool IsLapseNotice(string text) =>
        text.Contains("was removed", StringComparison.Ordinal) || text.Contains("has ended", StringComparison.Ordinal);
}
