using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using VipEntry.SampleBot.Tests.FakeBotApi;

namespace VipEntry.SampleBot.Tests;

/// <summary>
/// The real sample bot in Telegram mode, hosted in-process with <see cref="SampleBotHost"/>, talking through the real
/// Telegram.Bot client to a <see cref="FakeBotApiServer"/>, on its own SQLite file. Can be stopped and started again.
/// </summary>
public sealed partial class TelegramBotHarness : IAsyncDisposable
{
    public const long AdminId = 1;
    public const long VipChatId = -1001234567890;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vipentry-sample-" + Guid.NewGuid().ToString("N"));
    private IHost? _host;
    private int _queryId;

    public TelegramBotHarness()
    {
        Directory.CreateDirectory(_folder);
    }

    public FakeBotApiServer Api { get; } = new();

    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(30);

    public async Task StartAsync()
    {
        string[] args =
        [
            "--Telegram:BotToken=" + FakeBotApiServer.BotId.ToString(CultureInfo.InvariantCulture) + ":TEST-token",
            "--Telegram:ApiBaseUrl=" + Api.BaseUrl,
            "--Telegram:VipChatId=" + VipChatId.ToString(CultureInfo.InvariantCulture),
            "--Telegram:AdminIds:0=" + AdminId.ToString(CultureInfo.InvariantCulture),
            "--ConnectionStrings:VipEntry=Data Source=" + Path.Combine(_folder, "bot.db"),

            // Sweeps run at start-up and when /revoke asks, not on a timer, so the tests see exactly those.
            "--Bot:SweepInterval=01:00:00",
            "--Logging:LogLevel:Default=Warning",
        ];
        _host = SampleBotHost.CreateBuilder(args).Build();
        await _host.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_host is { } host)
        {
            _host = null;
            using var stop = new CancellationTokenSource(Timeout);
            await host.StopAsync(stop.Token);
            host.Dispose();
        }
    }

    /// <summary>Sends an update and waits until the bot has taken it (its next getUpdates confirms it).</summary>
    public async Task<int> SendAsync(JsonObject update)
    {
        var id = Api.Enqueue(update);
        await Api.WaitForConfirmedAsync(id, Timeout);
        return id;
    }

    /// <summary>A private text from <paramref name="userId"/>; returns the sequence number before it, to wait for replies after it.</summary>
    public async Task<int> SayAsync(long userId, string text)
    {
        var before = Api.LastSequence;
        await SendAsync(Updates.PrivateText(userId, text));
        return before;
    }

    /// <summary>Presses a button; waits for the callback to be answered and returns that answer.</summary>
    public async Task<RecordedCall> PressAsync(long userId, string? data, int? messageId = null)
    {
        var id = "q" + Interlocked.Increment(ref _queryId).ToString(CultureInfo.InvariantCulture);
        await SendAsync(Updates.Callback(userId, data, id, messageId));
        return await Api.WaitForCallAsync("answerCallbackQuery", c => c.Text("callback_query_id") == id, Timeout);
    }

    /// <summary>Waits for a message to <paramref name="chatId"/> sent after <paramref name="afterSequence"/>.</summary>
    public Task<RecordedCall> ReplyToAsync(long chatId, int afterSequence, Func<RecordedCall, bool>? match = null) =>
        Api.WaitForCallAsync("sendMessage", c => c.Number("chat_id") == chatId && (match is null || match(c)), Timeout, afterSequence);

    /// <summary>An admin makes a code; returns it (read from the deep link in the reply).</summary>
    public async Task<string> NewCodeAsync(int days = 30)
    {
        var before = await SayAsync(AdminId, "/newcode " + days.ToString(CultureInfo.InvariantCulture));
        var reply = await ReplyToAsync(AdminId, before, c => c.Text("text")!.Contains("?start=", StringComparison.Ordinal));
        var match = DeepLink().Match(reply.Text("text")!);
        Assert.True(match.Success, reply.Text("text"));
        return match.Groups["code"].Value;
    }

    /// <summary>Activates <paramref name="userId"/> with a fresh code; returns the stage-1 prompt.</summary>
    public async Task<RecordedCall> ActivateAsync(long userId)
    {
        var code = await NewCodeAsync();
        var before = await SayAsync(userId, "/start " + code);
        return await ReplyToAsync(userId, before, c => c.CallbackData.Contains("vipe:1:1"));
    }

    /// <summary>Walks <paramref name="userId"/> from activation to the stage-3 link; returns the message with the link button.</summary>
    public async Task<RecordedCall> ReachLinkAsync(long userId)
    {
        await ActivateAsync(userId);
        var before = Api.LastSequence;
        await PressAsync(userId, "vipe:1:1");
        await ReplyToAsync(userId, before, c => c.CallbackData.Contains("vipe:1:2"));
        before = Api.LastSequence;
        await PressAsync(userId, "vipe:1:2");
        return await ReplyToAsync(userId, before, c => c.Urls.Count == 1);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
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

    [GeneratedRegex(@"https://t\.me/" + FakeBotApiServer.BotUsername + @"\?start=(?<code>[A-Za-z0-9_-]{1,64})(\s|$)")]
    private static partial Regex DeepLink();
}
