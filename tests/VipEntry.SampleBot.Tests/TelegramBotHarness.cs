using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using VipEntry.Core.Telegram;
using VipEntry.Telegram.Testing;

namespace VipEntry.SampleBot.Tests;

/// <summary>
/// The real sample bot in Telegram mode, hosted in-process with <see cref="SampleBotHost"/>, talking through the real
/// Telegram.Bot client to a <see cref="FakeBotApiServer"/>, on its own SQLite file. Can be stopped and started again.
/// Optionally on a test clock (the engine's <see cref="TimeProvider"/>, to let a lapse's lease run out) and with extra settings.
/// </summary>
public sealed partial class TelegramBotHarness : IAsyncDisposable
{
    public const long AdminId = 1;
    public const long VipChatId = -1001234567890;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vipentry-sample-" + Guid.NewGuid().ToString("N"));
    private readonly TimeProvider? _clock;
    private readonly string[] _settings;
    private IHost? _host;
    private int _queryId;

    /// <param name="clock">The clock the bot runs on (registered as its <see cref="TimeProvider"/>); the real one when null.</param>
    /// <param name="settings">Extra command-line settings, e.g. <c>--VipEntry:SweepBatchSize=5</c>.</param>
    public TelegramBotHarness(TimeProvider? clock = null, params string[] settings)
    {
        _clock = clock;
        _settings = settings;
        Directory.CreateDirectory(_folder);
    }

    public FakeBotApiServer Api { get; } = new();

    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>The running bot's services (to reach its engine or run its sweep directly).</summary>
    public IServiceProvider Services => (_host ?? throw new InvalidOperationException("The bot is not started.")).Services;

    /// <summary>What the running bot logged (warnings and above, as configured), oldest first.</summary>
    public IReadOnlyList<FakeLogRecord> Logs => Services.GetFakeLogCollector().GetSnapshot();

    public async Task StartAsync()
    {
        _host = BuildHost();
        await _host.StartAsync();
    }

    /// <summary>
    /// Builds another instance of the bot on the same database and fake Bot API, not started (no polling, no sweep timer):
    /// a second process of the bot, as far as the database and the Bot API can tell.
    /// </summary>
    public IHost BuildHost()
    {
        var builder = SampleBotHost.CreateBuilder(Args());
        builder.Logging.AddFakeLogging();   // alongside the console: tests read what the bot logged
        if (_clock is { } clock)
        {
            // After AddVipEntry's TryAdd of TimeProvider.System: the last registration wins.
            builder.Services.AddSingleton(clock);
        }

        return builder.Build();
    }

    /// <summary>Runs one cycle of the running bot's channel worker now; returns how many lapses it handled and confirmed.</summary>
    public async Task<int> SweepAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<VipEntry.Core.Channel.IVipEntryChannelWorker>().RunOnceAsync(CancellationToken.None)).LapsesConfirmed;
    }

    /// <summary>Waits until the engine says <paramref name="userId"/>'s lapse is in <paramref name="state"/>.</summary>
    public async Task WaitForLapseAsync(long userId, VipEntry.Core.Results.VipEntryLapseState state)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            await using (var scope = Services.CreateAsyncScope())
            {
                var status = await scope.ServiceProvider.GetRequiredService<VipEntry.Core.Engine.IVipEntryStateMachine>().GetStatusAsync(userId);
                if (status.Lapse == state)
                {
                    return;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"The lapse of {userId} stayed {status.Lapse}.");
                }
            }

            await Task.Delay(25);
        }
    }

    private string[] Args() =>
        [
            "--Telegram:BotToken=" + FakeBotApiServer.Token,
            "--Telegram:ApiBaseUrl=" + Api.BaseUrl,
            "--Telegram:VipChatId=" + VipChatId.ToString(CultureInfo.InvariantCulture),
            "--Telegram:AdminIds:0=" + AdminId.ToString(CultureInfo.InvariantCulture),
            "--ConnectionStrings:VipEntry=Data Source=" + Path.Combine(_folder, "bot.db"),

            // The channel worker sweeps at start-up and /revoke sweeps at once, not on a timer, so the tests see exactly those.
            "--Bot:SweepInterval=01:00:00",
            "--Logging:LogLevel:Default=Warning",
            .. _settings,
        ];

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
        await SendAsync(TelegramUpdates.PrivateText(userId, text));
        return before;
    }

    /// <summary>Presses a button; waits for the callback to be answered and returns that answer.</summary>
    public async Task<RecordedCall> PressAsync(long userId, string? data, int? messageId = null)
    {
        var id = "q" + Interlocked.Increment(ref _queryId).ToString(CultureInfo.InvariantCulture);
        await SendAsync(TelegramUpdates.Callback(userId, data, id, messageId));
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
