using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace VipEntry.Telegram.Testing;

/// <summary>
/// A loopback Bot API server (HttpListener, HTTP/1.1 keep-alive) for the real Telegram.Bot client. It answers
/// <c>POST {base}/bot{token}/{method}</c> with <c>{"ok":true,"result":...}</c> and records every call with its parameters.
/// Per method it can be scripted to fail (an API error such as 429 with <c>retry_after</c>, 400 or 403, or a dropped
/// connection), and calls can be held until released. It serves queued updates to <c>getUpdates</c> (holding an empty
/// answer about a second instead of spinning, and forgetting updates below the offset the bot sends) and answers
/// <c>getChatMember</c> from statuses the test sets (default <c>left</c>). The Stars calls (<c>createInvoiceLink</c>,
/// <c>answerPreCheckoutQuery</c>, <c>refundStarPayment</c>, <c>editUserStarSubscription</c>) succeed unless scripted to fail
/// (e.g. <c>FailNext("refundStarPayment", 400, "Bad Request: CHARGE_ALREADY_REFUNDED")</c>). An exception of its own (not the bot hanging up,
/// not the fake stopping) is recorded and surfaced: <see cref="Calls"/>, the waits and <see cref="DisposeAsync"/> throw it,
/// so a test cannot pass on calls the fake dropped by accident.
/// </summary>
public sealed class FakeBotApiServer : IAsyncDisposable
{
    /// <summary>The bot's user id; also the first part of <see cref="Token"/>.</summary>
    public const long BotId = 123456;

    /// <summary>The bot's username.</summary>
    public const string BotUsername = "vipentry_test_bot";

    /// <summary>A well-formed token for <see cref="BotId"/>.</summary>
    public const string Token = "123456:TEST-token_for_the_fake_bot_api";

    private static readonly TimeSpan LongPollHold = TimeSpan.FromSeconds(1);

    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<RecordedCall> _calls = [];
    private readonly List<JsonObject> _updates = [];
    private readonly Dictionary<string, Queue<JsonObject?>> _scripts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, TaskCompletionSource> _holds = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<long, string> _members = [];
    private readonly List<string> _faults = [];
    private readonly Dictionary<int, string> _answering = [];
    private readonly Task _loop;
    private readonly SemaphoreSlim _updateArrived = new(0);
    private int _nextUpdateId = 1;
    private int _nextMessageId = 1;
    private int _nextInvite = 1;
    private int _nextInvoice = 1;
    private long _highestOffset;
    private int _nextRequest;
    private bool _faultsSurfaced;

    /// <summary>Starts listening on a free loopback port.</summary>
    public FakeBotApiServer()
    {
        (_listener, Port) = Listen();
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>
    /// Whether answered calls move the <c>getChatMember</c> status as Telegram would: an approved join request makes the
    /// user a <c>member</c>, a ban makes them <c>kicked</c>, an unban (of a kicked user) <c>left</c>. Off by default.
    /// </summary>
    public bool TrackMembership { get; set; }

    /// <summary>The base URL to give <c>TelegramBotClientOptions</c> (<c>baseUrl</c>).</summary>
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

    /// <summary>The sequence number of the last call recorded (0 before any).</summary>
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

    /// <summary>The calls recorded so far, in order; only those of <paramref name="method"/> when given.</summary>
    /// <exception cref="InvalidOperationException">The fake failed internally (see <see cref="Faults"/>): what it recorded cannot be trusted.</exception>
    public IReadOnlyList<RecordedCall> Calls(string? method = null)
    {
        ThrowIfFaulted();
        lock (_gate)
        {
            return [.. _calls.Where(c => method is null || string.Equals(c.Method, method, StringComparison.OrdinalIgnoreCase))];
        }
    }

    /// <summary>
    /// The fake's own failures so far (an exception while reading a request, answering it or writing the answer that was
    /// not the bot hanging up or the fake stopping), one description each. The bot saw each as a dropped connection.
    /// </summary>
    public IReadOnlyList<string> Faults
    {
        get
        {
            lock (_gate)
            {
                return [.. _faults];
            }
        }
    }

    /// <summary>The calls of <paramref name="method"/> that the fake answered with success.</summary>
    public IReadOnlyList<RecordedCall> Succeeded(string method) => [.. Calls(method).Where(c => !c.Failed)];

    /// <summary>Queues an update for getUpdates; returns its update_id.</summary>
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

    /// <summary>Answers the next <paramref name="times"/> calls of <paramref name="method"/> with an API error.</summary>
    /// <param name="method">The Bot API method, e.g. <c>banChatMember</c>.</param>
    /// <param name="errorCode">400, 403, 429, 500, …</param>
    /// <param name="description">Telegram's description, e.g. <c>Forbidden: bot was blocked by the user</c>.</param>
    /// <param name="retryAfter">For 429: <c>parameters.retry_after</c> in seconds.</param>
    /// <param name="times">How many calls in a row fail.</param>
    public void FailNext(string method, int errorCode, string description, int? retryAfter = null, int times = 1)
    {
        var error = new JsonObject { ["ok"] = false, ["error_code"] = errorCode, ["description"] = description };
        if (retryAfter is { } seconds)
        {
            error["parameters"] = new JsonObject { ["retry_after"] = seconds };
        }

        for (var i = 0; i < times; i++)
        {
            Script(method, (JsonObject)error.DeepClone());
        }
    }

    /// <summary>
    /// Drops the connection of the next <paramref name="times"/> calls of <paramref name="method"/> without an answer
    /// (a network failure). HttpClient may retry a request whose reused connection dropped; script two drops for one failure.
    /// </summary>
    public void DropNext(string method, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            Script(method, null);
        }
    }

    /// <summary>Forgets the scripted failures of <paramref name="method"/> not yet used.</summary>
    public void Heal(string method)
    {
        lock (_gate)
        {
            _scripts.Remove(method);
        }
    }

    /// <summary>
    /// Holds every call of <paramref name="method"/> (recorded, unanswered) until the returned gate is released.
    /// </summary>
    public HeldMethod Hold(string method)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _holds[method] = gate;
        }

        return new HeldMethod(() =>
        {
            lock (_gate)
            {
                if (_holds.TryGetValue(method, out var current) && current == gate)
                {
                    _holds.Remove(method);
                }
            }

            gate.TrySetResult();
        });
    }

    /// <summary>Whether calls of <paramref name="method"/> are being held now (see <see cref="Hold"/>).</summary>
    public bool IsHeld(string method)
    {
        lock (_gate)
        {
            return _holds.ContainsKey(method);
        }
    }

    /// <summary>What <c>getChatMember</c> answers for <paramref name="userId"/> now (default <c>left</c>).</summary>
    public string ChatMemberStatus(long userId)
    {
        lock (_gate)
        {
            return _members.GetValueOrDefault(userId, "left");
        }
    }

    /// <summary>Sets what <c>getChatMember</c> answers for <paramref name="userId"/>: <c>member</c>, <c>left</c>, <c>kicked</c>, <c>administrator</c>, <c>creator</c>, <c>restricted</c>.</summary>
    public void SetChatMember(long userId, string status)
    {
        lock (_gate)
        {
            _members[userId] = status;
        }
    }

    /// <summary>Waits until a call of <paramref name="method"/> after <paramref name="afterSequence"/> matching <paramref name="match"/> is recorded.</summary>
    /// <param name="method">The method.</param>
    /// <param name="match">An extra condition.</param>
    /// <param name="timeout">How long to wait (30 s by default).</param>
    /// <param name="afterSequence">Only calls after this sequence number count.</param>
    /// <param name="includeFailed">Whether calls the fake failed count.</param>
    /// <returns>The call.</returns>
    /// <exception cref="TimeoutException">With every call seen, when none matched in time.</exception>
    public async Task<RecordedCall> WaitForCallAsync(string method, Func<RecordedCall, bool>? match = null, TimeSpan? timeout = null, int afterSequence = 0, bool includeFailed = false)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var found = Calls(method).FirstOrDefault(c => c.Sequence > afterSequence && (includeFailed || !c.Failed) && (match is null || match(c)));
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No matching {method} call after #{afterSequence}. Calls seen:\n{Describe()}");
            }

            await Task.Delay(10);
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

    /// <summary>Waits until no call other than <c>getUpdates</c> is being answered (e.g. after releasing a hold).</summary>
    /// <param name="timeout">How long to wait (10 s by default).</param>
    /// <exception cref="TimeoutException">Calls are still being answered (named in the message, held ones marked) after <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException">The fake failed internally (see <see cref="Faults"/>).</exception>
    public async Task WaitIdleAsync(TimeSpan? timeout = null)
    {
        var wait = timeout ?? TimeSpan.FromSeconds(10);
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            ThrowIfFaulted();
            string[] answering;
            lock (_gate)
            {
                answering = [.. _answering.OrderBy(a => a.Key).Select(a => _holds.ContainsKey(a.Value) ? a.Value + " (held)" : a.Value)];
            }

            if (answering.Length == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The fake Bot API is still answering {answering.Length} call(s) after {wait.TotalSeconds:0.###} s: {string.Join(", ", answering)}. Calls seen:\n{Describe()}");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Every call seen, one a line (for assertion messages), and the fake's own failures if any.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            var calls = string.Join("\n", _calls.Select(c => c.ToString()));
            return _faults.Count == 0 ? calls : calls + "\nFake Bot API faults:\n" + string.Join("\n", _faults);
        }
    }

    /// <summary>The bot's own user object, as getMe answers it.</summary>
    public static JsonObject BotUser() => new() { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "VipEntry Test", ["username"] = BotUsername };

    /// <summary>Stops the server.</summary>
    /// <exception cref="InvalidOperationException">The fake failed internally and no call has surfaced it yet.</exception>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        lock (_gate)
        {
            foreach (var hold in _holds.Values)
            {
                hold.TrySetResult();
            }

            _holds.Clear();
        }

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
        bool surfaced;
        lock (_gate)
        {
            surfaced = _faultsSurfaced;
        }

        if (!surfaced)
        {
            ThrowIfFaulted();
        }
    }

    private void ThrowIfFaulted()
    {
        lock (_gate)
        {
            if (_faults.Count == 0)
            {
                return;
            }

            _faultsSurfaced = true;
            throw new InvalidOperationException($"The fake Bot API failed internally {_faults.Count} time(s); the bot saw dropped connections:\n{string.Join("\n", _faults)}");
        }
    }

    // The bot went away (it stopped, or its HTTP timeout gave up on a held call) or the fake is stopping: not a fault.
    private bool IsHangUp(Exception exception) =>
        _stop.IsCancellationRequested || exception is HttpListenerException or IOException or ObjectDisposedException;

    private static void Abort(HttpListenerContext context)
    {
        try
        {
            context.Response.Abort();
        }
        catch (Exception)
        {
            // Already gone.
        }
    }

    private void Script(string method, JsonObject? answer)
    {
        lock (_gate)
        {
            if (!_scripts.TryGetValue(method, out var queue))
            {
                _scripts[method] = queue = new Queue<JsonObject?>();
            }

            queue.Enqueue(answer);
        }
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
        var method = "(unknown method)";
        var request = 0;
        try
        {
            var path = context.Request.Url!.AbsolutePath; // /bot<token>/<method>
            method = path[(path.LastIndexOf('/') + 1)..];
            JsonObject body;
            try
            {
                body = await ReadBodyAsync(context.Request);
            }
            catch (Exception ex) when (IsHangUp(ex))
            {
                Abort(context);
                return;
            }

            if (!string.Equals(method, "getUpdates", StringComparison.OrdinalIgnoreCase))
            {
                lock (_gate)
                {
                    request = ++_nextRequest;
                    _answering[request] = method;
                }
            }

            JsonObject? answer;
            try
            {
                answer = await AnswerAsync(method, body);
            }
            finally
            {
                if (request != 0)
                {
                    lock (_gate)
                    {
                        _answering.Remove(request);
                    }
                }
            }

            if (answer is null)
            {
                // A scripted network failure: the connection goes away without an answer.
                Abort(context);
                return;
            }

            var bytes = Encoding.UTF8.GetBytes(answer.ToJsonString());
            context.Response.StatusCode = answer["ok"]!.GetValue<bool>() ? 200 : answer["error_code"]!.GetValue<int>();
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            try
            {
                await context.Response.OutputStream.WriteAsync(bytes, _stop.Token);
                context.Response.Close();
            }
            catch (Exception ex) when (IsHangUp(ex))
            {
                Abort(context);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // The server is stopping (a held call given up, the listener closed).
            Abort(context);
        }
        catch (Exception ex)
        {
            // The fake's own failure: the bot sees a dropped connection, and the test must not pass on it.
            lock (_gate)
            {
                _faults.Add($"{method}: {ex}");
            }

            Abort(context);
        }
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        return string.IsNullOrWhiteSpace(text) ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }

    private async Task<JsonObject?> AnswerAsync(string method, JsonObject body)
    {
        var scripted = false;
        JsonObject? failure = null;
        TaskCompletionSource? hold;
        lock (_gate)
        {
            if (_scripts.TryGetValue(method, out var queue) && queue.Count > 0)
            {
                scripted = true;
                failure = queue.Dequeue();
            }

            _calls.Add(new RecordedCall(_calls.Count + 1, method, body, scripted));
            _holds.TryGetValue(method, out hold);
        }

        if (hold is not null)
        {
            await hold.Task.WaitAsync(_stop.Token);
        }

        if (scripted)
        {
            return failure;
        }

        if (TrackMembership && body["user_id"] is JsonValue u && u.TryGetValue<long>(out var user))
        {
            lock (_gate)
            {
                switch (method.ToLowerInvariant())
                {
                    case "approvechatjoinrequest":
                        _members[user] = "member";
                        break;
                    case "banchatmember":
                        _members[user] = "kicked";
                        break;
                    // Without only_if_banned an unban also removes a member ("not a member after the call, but able to join").
                    case "unbanchatmember" when _members.GetValueOrDefault(user) == "kicked" || body["only_if_banned"]?.GetValue<bool>() != true:
                        _members[user] = "left";
                        break;
                }
            }
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
            "getchatmember" => Ok(ChatMember(body)),
            "createinvoicelink" => Ok(InvoiceLink()),
            "answercallbackquery" or "approvechatjoinrequest" or "declinechatjoinrequest" or "banchatmember" or "unbanchatmember"
                or "deletewebhook" or "setwebhook" or "answerprecheckoutquery" or "refundstarpayment" or "edituserstarsubscription" => Ok(true),
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
            ["creates_join_request"] = body["creates_join_request"]?.DeepClone() ?? false,
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

    private JsonValue InvoiceLink()
    {
        lock (_gate)
        {
            return JsonValue.Create("https://t.me/$FAKEINVOICE" + (_nextInvoice++).ToString(CultureInfo.InvariantCulture));
        }
    }

    private JsonObject ChatMember(JsonObject body)
    {
        var userId = body["user_id"] is JsonValue v && v.TryGetValue<long>(out var id) ? id : 0;
        string status;
        lock (_gate)
        {
            status = _members.GetValueOrDefault(userId, "left");
        }

        return TelegramUpdates.Member(userId, status);
    }
}
