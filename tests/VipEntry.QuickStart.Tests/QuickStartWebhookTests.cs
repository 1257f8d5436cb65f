using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using VipEntry.Telegram.Testing;

namespace VipEntry.QuickStart.Tests;

/// <summary>
/// Issue 15: the docs' ASP.NET Core webhook bot (samples/VipEntry.QuickStart.Webhook, the block of docs/telegram.md
/// verbatim) as a real process against the fake Bot API: it sets its webhook with the secret and the update types, refuses
/// a request without the secret, binds a posted <c>Update</c> with Telegram.Bot's JSON and hands it to VipEntry (a press
/// is answered), and stops cleanly on SIGTERM.
/// </summary>
public sealed class QuickStartWebhookTests : IAsyncLifetime
{
    private const string Secret = "quick_start-secret";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly FakeBotApiServer _api = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("vipentry-quickstart-webhook-").FullName;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
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
        _http.Dispose();
        await _api.DisposeAsync();
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<HttpResponseMessage> PostAsync(Uri endpoint, System.Text.Json.Nodes.JsonObject update, string? secret)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(update.ToJsonString(), Encoding.UTF8, "application/json") };
            if (secret is not null)
            {
                request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
            }

            try
            {
                return await _http.SendAsync(request, TestContext.Current.CancellationToken);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && _bot is { HasExited: false })
            {
                await Task.Delay(200, TestContext.Current.CancellationToken);   // not listening yet
            }
        }
    }

    [Fact]
    public async Task Issue15_The_docs_webhook_bot_sets_its_webhook_checks_the_secret_and_hands_updates_to_VipEntry()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { QuickStartApp.Dll("VipEntry.QuickStart.Webhook") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Bot__", StringComparison.Ordinal) || k.StartsWith("VipEntry__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["Bot__Token"] = FakeBotApiServer.Token;
        start.Environment["Bot__ApiBaseUrl"] = _api.BaseUrl;
        start.Environment["Bot__WebhookUrl"] = "https://bot.example.com/telegram";
        start.Environment["Bot__WebhookSecret"] = Secret;
        start.Environment["ConnectionStrings__Bot"] = $"Data Source={Path.Combine(_directory, "bot.db")}";
        start.Environment["VipEntry__Telegram__ChatId"] = "-1001234567890";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        _bot = new Process { StartInfo = start };
        _bot.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _bot.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _bot.Start();
        _bot.BeginOutputReadLine();
        _bot.BeginErrorReadLine();

        var setWebhook = await _api.WaitForCallAsync("setWebhook", timeout: Timeout);
        Assert.Equal("https://bot.example.com/telegram", setWebhook.Text("url"));
        Assert.Equal(Secret, setWebhook.Text("secret_token"));
        var allowed = setWebhook.Body["allowed_updates"]!.AsArray().Select(n => n!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "message", "callback_query", "chat_join_request", "chat_member" }, allowed);

        var endpoint = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/telegram");
        var press = TelegramUpdates.Callback(42, "vipe:1:1", "press-1");
        press["update_id"] = 1;
        using (var refused = await PostAsync(endpoint, press, secret: "wrong"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        Assert.Empty(_api.Calls("answerCallbackQuery"));
        using (var handled = await PostAsync(endpoint, press, Secret))
        {
            Assert.True(handled.StatusCode == HttpStatusCode.OK, $"{handled.StatusCode}. Output:\n{Output}");
        }

        // The Update was bound with Telegram.Bot's JSON and was the ritual's: the press is answered (always, R11).
        Assert.Single(_api.Calls("answerCallbackQuery"), c => c.Text("callback_query_id") == "press-1");

        using (var kill = Process.Start("kill", ["-TERM", _bot.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        using var stopped = new CancellationTokenSource(Timeout);
        await _bot.WaitForExitAsync(stopped.Token);
        Assert.True(_bot.ExitCode == 0, $"exit code {_bot.ExitCode}. Output:\n{Output}");
    }
}
