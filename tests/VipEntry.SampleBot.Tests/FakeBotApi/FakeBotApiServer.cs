using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace VipEntry.SampleBot.Tests.FakeBotApi;

/// <summary>
/// A loopback Bot API server (HttpListener, HTTP/1.1 keep-alive) for the real Telegram.Bot client: it answers
/// <c>{base}/bot{token}/{method}</c> with <c>{"ok":true,"result":...}</c>, records every call, serves queued updates
/// to <c>getUpdates</c> (holding an empty answer about a second instead of spinning, and forgetting updates below
/// the offset the bot sends), can fail chosen calls (e.g. 429 with <c>retry_after</c>) and hold calls in flight (<see cref="Hold"/>).
/// </summary>
public sealed class FakeBotApiServer : IAsyncDisposable
{
    public const long BotId = 123456;
    public const string BotUsername = "vipentry_sample_bot";

    private static readonly TimeSpan LongPollHold = TimeSpan.FromSeconds(1);

    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<RecordedCall> _calls = [];
    private readonly List<JsonObject> _updates = [];
    private readonly Dictionary<string, Queue<JsonObject>> _failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CallGate> _gates = new(StringComparer.OrdinalIgnoreCase);
    private readonly Task _loop;
    private readonly SemaphoreSlim _updateArrived = new(0);
    private int _nextUpdateId = 1;
    private int _nextMessageId = 1;
    private int _nextInvite = 1;
    private long _highestOffset;

    public FakeBotApiServer()
    {
        (_listener, Port) = Listen();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The highest offset the bot has confirmed with getUpdates.</summary>
    public long HighestOffset
    {
        get
        {
            lock (_gate)
            {
                return _highestOffset;
            }
        }
    }

    public IReadOnlyList<RecordedCall> Calls(string? method = null)
    {
        lock (_gate)
        {
            return [.. _calls.Where(c => method is null || string.Equals(c.Method, method, StringComparison.OrdinalIgnoreCase))];
        }
    }

    /// <summary>Queues an update; returns its update_id.</summary>
    public int Enqueue(JsonObject update)
    {
        ArgumentNullException.ThrowIfNull(update);
        int id;
        lock (_gate)
        {
            id = _nextUpdateId++;
            update["update_id"] = id;
            _updates.Add(update);
        }

        _updateArrived.Release();
        return id;
    }

    /// <summary>Answers the next call of <paramref name="method"/> with an error.</summary>
    public void FailNext(string method, int errorCode, string description, int? retryAfter = null)
    {
        var error = new JsonObject { ["ok"] = false, ["error_code"] = errorCode, ["description"] = description };
        if (retryAfter is { } seconds)
        {
            error["parameters"] = new JsonObject { ["retry_after"] = seconds };
        }

        lock (_gate)
        {
            if (!_failures.TryGetValue(method, out var queue))
            {
                _failures[method] = queue = new Queue<JsonObject>();
            }

            queue.Enqueue(error);
        }
    }

    /// <summary>
    /// Holds every call of <paramref name="method"/> from now on (recorded at once, answered after the gate's release), to
    /// stage what happens while the bot waits for it. A failure queued with <see cref="FailNext"/> is answered after the release.
    /// </summary>
    public CallGate Hold(string method)
    {
        var gate = new CallGate();
        lock (_gate)
        {
            _gates[method] = gate;
        }

        return gate;
    }

    /// <summary>Waits until a call of <paramref name="method"/> matching <paramref name="match"/> is recorded (one the fake answered with an error when <paramref name="failed"/>).</summary>
    public async Task<RecordedCall> WaitForCallAsync(string method, Func<RecordedCall, bool>? match = null, TimeSpan? timeout = null, int afterSequence = 0, bool failed = false)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var found = Calls(method).FirstOrDefault(c => c.Sequence > afterSequence && c.Failed == failed && (match is null || match(c)));
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                var seen = string.Join("\n", Calls().Select(c => $"{c.Sequence} {c.Method} {(c.Failed ? "FAILED " : string.Empty)}{c.Body.ToJsonString()}"));
                throw new TimeoutException($"No matching {method} call after #{afterSequence}. Calls seen:\n{seen}");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>Waits until the bot has confirmed (by its next getUpdates offset) that it took update <paramref name="updateId"/>.</summary>
    public async Task WaitForConfirmedAsync(int updateId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (HighestOffset <= updateId)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The bot never confirmed update {updateId} (offset {HighestOffset}).");
            }

            await Task.Delay(25);
        }
    }

    public int LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _calls.Count == 0 ? 0 : _calls[^1].Sequence;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception)
        {
            // Closing the listener ends the loop with an exception.
        }

        _stop.Dispose();
        _updateArrived.Dispose();
    }

    private static (HttpListener Listener, int Port) Listen()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        try
        {
            var path = context.Request.Url!.AbsolutePath; // /bot<token>/<method>
            var method = path[(path.LastIndexOf('/') + 1)..];
            var body = await ReadBodyAsync(context.Request);
            var answer = await AnswerAsync(method, body);
            var bytes = Encoding.UTF8.GetBytes(answer.ToJsonString());
            context.Response.StatusCode = answer["ok"]!.GetValue<bool>() ? 200 : answer["error_code"]!.GetValue<int>();
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes, _stop.Token);
            context.Response.Close();
        }
        catch (Exception)
        {
            // The bot hung up (e.g. it stopped during a long poll).
            try
            {
                context.Response.Abort();
            }
            catch (Exception)
            {
                // Already gone.
            }
        }
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        return string.IsNullOrWhiteSpace(text) ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }

    private async Task<JsonObject> AnswerAsync(string method, JsonObject body)
    {
        JsonObject? failure = null;
        CallGate? hold;
        lock (_gate)
        {
            if (_failures.TryGetValue(method, out var queue) && queue.Count > 0)
            {
                failure = queue.Dequeue();
            }

            _calls.Add(new RecordedCall(_calls.Count + 1, method, body, failure is not null));
            _gates.TryGetValue(method, out hold);
        }

        if (hold is not null)
        {
            await hold.PassAsync(_stop.Token);
        }

        if (failure is not null)
        {
            return failure;
        }

        return method.ToLowerInvariant() switch
        {
            "getupdates" => Ok(await GetUpdatesAsync(body)),
            "getme" => Ok(BotUser()),
            "sendmessage" => Ok(SentMessage(body)),
            "editmessagereplymarkup" => Ok(new JsonObject
            {
                ["message_id"] = body["message_id"]?.DeepClone(),
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["chat"] = new JsonObject { ["id"] = body["chat_id"]?.DeepClone(), ["type"] = "private" },
            }),
            "createchatinvitelink" => Ok(InviteLink(body, revoked: false)),
            "revokechatinvitelink" => Ok(InviteLink(body, revoked: true)),
            "answercallbackquery" or "approvechatjoinrequest" or "declinechatjoinrequest" or "banchatmember" or "unbanchatmember" or "deletewebhook" => Ok(true),
            _ => new JsonObject { ["ok"] = false, ["error_code"] = 404, ["description"] = "Not Found: method not found" },
        };
    }

    private async Task<JsonNode> GetUpdatesAsync(JsonObject body)
    {
        var offset = body["offset"] is JsonValue v && v.TryGetValue<long>(out var o) ? o : 0;
        var deadline = DateTime.UtcNow + LongPollHold;
        while (true)
        {
            JsonArray ready;
            lock (_gate)
            {
                // Like Telegram: updates below the offset are confirmed and forgotten.
                _updates.RemoveAll(u => u["update_id"]!.GetValue<int>() < offset);
                _highestOffset = Math.Max(_highestOffset, offset);
                ready = [.. _updates.Select(u => u.DeepClone())];
            }

            var left = deadline - DateTime.UtcNow;
            if (ready.Count > 0 || left <= TimeSpan.Zero || _stop.IsCancellationRequested)
            {
                return ready;
            }

            try
            {
                await _updateArrived.WaitAsync(left, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return ready;
            }
        }
    }

    private static JsonObject Ok(JsonNode result) => new() { ["ok"] = true, ["result"] = result };

    public static JsonObject BotUser() => new() { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "VipEntry Sample", ["username"] = BotUsername };

    private JsonObject SentMessage(JsonObject body)
    {
        int id;
        lock (_gate)
        {
            id = _nextMessageId++;
        }

        var chatId = body["chat_id"]?.DeepClone() ?? 0;
        return new JsonObject
        {
            ["message_id"] = id,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private" },
            ["from"] = BotUser(),
            ["text"] = body["text"]?.DeepClone() ?? string.Empty,
        };
    }

    private JsonObject InviteLink(JsonObject body, bool revoked)
    {
        string link;
        if (body["invite_link"]?.GetValue<string>() is { } existing)
        {
            link = existing;
        }
        else
        {
            lock (_gate)
            {
                link = "https://t.me/+FAKEINVITE" + (_nextInvite++).ToString(CultureInfo.InvariantCulture);
            }
        }

        var result = new JsonObject
        {
            ["invite_link"] = link,
            ["creator"] = BotUser(),
            ["creates_join_request"] = body["creates_join_request"]?.DeepClone() ?? true,
            ["is_primary"] = false,
            ["is_revoked"] = revoked,
        };
        if (body["name"] is { } name)
        {
            result["name"] = name.DeepClone();
        }

        if (body["expire_date"] is { } expire)
        {
            result["expire_date"] = expire.DeepClone();
        }

        return result;
    }
}
