using System.Diagnostics;
using System.Text;
using VipEntry.Telegram.Testing;

namespace VipEntry.QuickStart.Tests;

/// <summary>
/// Issue 15: the docs' generic-host polling bot (samples/VipEntry.QuickStart.Polling, the blocks of docs/telegram.md
/// verbatim) as a real process, configured only by environment variables (the documented sections), driven end to end
/// against the fake Bot API: an admin's <c>/paid &lt;id&gt; &lt;days&gt;</c> (the id overload), the three stages, the join
/// request, <c>/start</c> once completed; then SIGTERM stops it cleanly (the polling loop honours cancellation).
/// </summary>
public sealed class QuickStartPollingTests : IAsyncLifetime
{
    private const long Admin = 1000;
    private const long Member = 42;
    private const long VipChat = -1001234567890;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly FakeBotApiServer _api = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("vipentry-quickstart-").FullName;
    private readonly StringBuilder _output = new();
    private Process? _bot;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_bot is { HasExited: false })
        {
            _bot.Kill(entireProcessTree: true);
            await _bot.WaitForExitAsync();
        }

        _bot?.Dispose();
        await _api.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Start(Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { QuickStartApp.Dll("VipEntry.QuickStart.Polling") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,   // the content root: no appsettings.json there, only the environment
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Bot__", StringComparison.Ordinal) || k.StartsWith("VipEntry__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        _bot = new Process { StartInfo = start };
        _bot.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _bot.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _bot.Start();
        _bot.BeginOutputReadLine();
        _bot.BeginErrorReadLine();
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["Bot__Token"] = FakeBotApiServer.Token,
        ["Bot__ApiBaseUrl"] = _api.BaseUrl,
        ["Bot__AdminId"] = Admin.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ConnectionStrings__Bot"] = $"Data Source={Path.Combine(_directory, "bot.db")}",
        ["VipEntry__DefaultCulture"] = "es",
        ["VipEntry__Telegram__ChatId"] = VipChat.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private async Task<RecordedCall> SendAndWaitAsync(System.Text.Json.Nodes.JsonObject update, string method, Func<RecordedCall, bool> match)
    {
        var before = _api.LastSequence;
        _api.Enqueue(update);
        try
        {
            return await _api.WaitForCallAsync(method, match, Timeout, before);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nQuick-start output:\n{Output}", e);
        }
    }

    [Fact]
    public async Task Issue15_The_docs_polling_bot_walks_the_ritual_against_the_fake_Bot_API()
    {
        Start(Environment());
        var poll = await _api.WaitForCallAsync("getUpdates", timeout: Timeout);
        var allowed = poll.Body["allowed_updates"]!.AsArray().Select(n => n!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "message", "callback_query", "chat_join_request", "chat_member" }, allowed);

        // An admin's "/paid 42 30": the id overload sends stage 1 to the member, in the configured default culture (es).
        var stage1 = await SendAndWaitAsync(TelegramUpdates.PrivateText(Admin, $"/paid {Member} 30"), "sendMessage", c => c.Number("chat_id") == Member && c.CallbackData.Count > 0);
        Assert.Contains("Tu suscripción VIP está activa", stage1.Text("text"), StringComparison.Ordinal);

        // A stranger's "/paid" is the rest of the bot's business: nothing is activated.
        var strangerPaid = TelegramUpdates.PrivateText(77, "/paid 78 30");
        var beforeStranger = _api.LastSequence;
        _api.Enqueue(strangerPaid);

        var stage2 = await SendAndWaitAsync(TelegramUpdates.Callback(Member, stage1.CallbackData[0], "q1"), "sendMessage", c => c.Number("chat_id") == Member && c.CallbackData.Count > 0);
        var stage3 = await SendAndWaitAsync(TelegramUpdates.Callback(Member, stage2.CallbackData[0], "q2"), "sendMessage", c => c.Number("chat_id") == Member && c.Urls.Count > 0);
        var link = Assert.Single(stage3.Urls);
        var invite = Assert.Single(_api.Calls("createChatInviteLink"));
        Assert.Equal(VipChat, invite.Number("chat_id"));

        var approve = await SendAndWaitAsync(TelegramUpdates.JoinRequest(VipChat, Member, link), "approveChatJoinRequest", c => c.Number("user_id") == Member);
        Assert.Equal(VipChat, approve.Number("chat_id"));
        Assert.Empty(_api.Calls("declineChatJoinRequest"));

        // "/start" once completed: ShowStepAsync(from) answers where the member is (done), no new link.
        await SendAndWaitAsync(TelegramUpdates.PrivateText(Member, "/start"), "sendMessage", c => c.Number("chat_id") == Member && c.Sequence > approve.Sequence && c.Urls.Count == 0);
        Assert.Single(_api.Calls("createChatInviteLink"));
        Assert.DoesNotContain(_api.Calls("sendMessage"), c => c.Sequence > beforeStranger && c.Number("chat_id") == 78);

        // SIGTERM: the host stops, ReceiveAsync returns on cancellation, the process exits 0.
        using (var kill = Process.Start("kill", ["-TERM", _bot!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        using var stopped = new CancellationTokenSource(Timeout);
        await _bot.WaitForExitAsync(stopped.Token);
        Assert.True(_bot.ExitCode == 0, $"exit code {_bot.ExitCode}. Output:\n{Output}");
    }

    [Fact]
    public async Task Issue15_The_docs_polling_bot_without_its_chat_fails_at_start()
    {
        var environment = Environment();
        environment.Remove("VipEntry__Telegram__ChatId");
        Start(environment);

        using var exited = new CancellationTokenSource(Timeout);
        await _bot!.WaitForExitAsync(exited.Token);
        Assert.NotEqual(0, _bot.ExitCode);
        Assert.Contains("ChatId", Output, StringComparison.Ordinal);
        Assert.Empty(_api.Calls("getUpdates"));
    }
}
