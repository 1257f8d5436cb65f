using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Telegram.Testing;

namespace VipEntry.SampleBot.Tests;

/// <summary>
/// The real sample bot in webhook mode, hosted in-process (real Kestrel on 127.0.0.1, a free port), talking through the
/// real Telegram.Bot client to a <see cref="FakeBotApiServer"/>, on its own SQLite file. Tests post updates as Telegram does.
/// </summary>
public sealed partial class WebhookBotHarness : IAsyncDisposable
{
    public const long AdminId = 1;
    public const long VipChatId = -1001234567890;
    public const string WebhookUrl = "https://bot.example.com/telegram/hook";
    public const string WebhookPath = "/telegram/hook";
    public const string Secret = "s3cret_Token-for-the-webhook";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vipentry-webhook-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private WebApplication? _app;
    private int _nextUpdateId = 100;
    private int _queryId;

    public WebhookBotHarness() => Directory.CreateDirectory(_folder);

    public FakeBotApiServer Api { get; } = new();

    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(30);

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The bot's SQLite file.</summary>
    public string DatabasePath => Path.Combine(_folder, "bot.db");

    public string[] Args() =>
        [
            "--Telegram:BotToken=" + FakeBotApiServer.Token,
            "--Telegram:ApiBaseUrl=" + Api.BaseUrl,
            "--Telegram:VipChatId=" + VipChatId.ToString(CultureInfo.InvariantCulture),
            "--Telegram:AdminIds:0=" + AdminId.ToString(CultureInfo.InvariantCulture),
            "--Telegram:WebhookUrl=" + WebhookUrl,
            "--Telegram:WebhookSecret=" + Secret,
            "--ConnectionStrings:VipEntry=Data Source=" + DatabasePath,
            "--urls=http://127.0.0.1:0",
            "--Bot:SweepInterval=01:00:00",
            "--Logging:LogLevel:Default=Warning",
        ];

    public async Task StartAsync()
    {
        _app = SampleBotHost.BuildWebhook(SampleBotHost.CreateWebhookBuilder(Args()));
        await _app.StartAsync();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First());
    }

    /// <summary>Posts raw content to the webhook path with the given secret header (none when null).</summary>
    public async Task<HttpStatusCode> PostRawAsync(string content, string? secret = Secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, WebhookPath))
        {
            Content = new StringContent(content, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Posts an update (given the next update_id unless it has one) as Telegram does; returns the status.</summary>
    public Task<HttpStatusCode> PostAsync(JsonObject update, string? secret = Secret)
    {
        if (!update.ContainsKey("update_id"))
        {
            update["update_id"] = Interlocked.Increment(ref _nextUpdateId);
        }

        return PostRawAsync(update.ToJsonString(), secret);
    }

    public async Task<HttpStatusCode> GetHealthAsync()
    {
        using var response = await _http.GetAsync(new Uri(BaseAddress, "/healthz"));
        return response.StatusCode;
    }

    /// <summary>Delivers an update and expects 200.</summary>
    public async Task SendAsync(JsonObject update) => Assert.Equal(HttpStatusCode.OK, await PostAsync(update));

    public async Task<int> SayAsync(long userId, string text)
    {
        var before = Api.LastSequence;
        await SendAsync(TelegramUpdates.PrivateText(userId, text));
        return before;
    }

    public async Task<RecordedCall> PressAsync(long userId, string data)
    {
        var id = "w" + Interlocked.Increment(ref _queryId).ToString(CultureInfo.InvariantCulture);
        await SendAsync(TelegramUpdates.Callback(userId, data, id));
        return await Api.WaitForCallAsync("answerCallbackQuery", c => c.Text("callback_query_id") == id, Timeout);
    }

    public Task<RecordedCall> ReplyToAsync(long chatId, int afterSequence, Func<RecordedCall, bool>? match = null) =>
        Api.WaitForCallAsync("sendMessage", c => c.Number("chat_id") == chatId && (match is null || match(c)), Timeout, afterSequence);

    public async Task<string> NewCodeAsync()
    {
        var before = await SayAsync(AdminId, "/newcode 30");
        var reply = await ReplyToAsync(AdminId, before, c => c.Text("text")!.Contains("?start=", StringComparison.Ordinal));
        return DeepLink().Match(reply.Text("text")!).Groups["code"].Value;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            using var stop = new CancellationTokenSource(Timeout);
            await app.StopAsync(stop.Token);
            await app.DisposeAsync();
        }

        _http.Dispose();
        await Api.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    [GeneratedRegex(@"\?start=(?<code>[A-Za-z0-9_-]{1,64})(\s|$)")]
    public static partial Regex DeepLink();
}
