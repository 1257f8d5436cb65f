using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Testing;
using Telegram.Bot;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Engine;
using VipEntry.Core.Options;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Telegram.Channel;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests.Support;

/// <summary>
/// A real DI container as a host builds it: the engine on the in-memory store with a fake clock, the real Telegram.Bot
/// client pointed at a loopback fake Bot API, and <c>AddTelegram</c>. Each operation runs in its own scope, as a host
/// runs each update. Several hosts can share one fake API and one store (replicas): hosts given the same in-memory store
/// share its channel facts too (R19), and hosts given the same <c>database</c> share one SQLite file or PostgreSQL database
/// (another process after a restart, or another replica).
/// </summary>
internal sealed class TelegramTestHost : IAsyncDisposable
{
    // The channel facts that go with an in-memory store handed to several hosts: replicas share both.
    private static readonly ConditionalWeakTable<InMemoryVipEntryStore, InMemoryVipEntryChannelStore> SharedChannels = [];

    public const long VipChatId = -1001234567890;

    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly bool _ownsApi;
    private readonly HttpClient? _http;
    private readonly SqliteStore? _sqlite;
    private readonly PostgresStore? _postgres;

    public TelegramTestHost(
        FakeBotApiServer? api = null,
        InMemoryVipEntryStore? store = null,
        RecordingTimeProvider? time = null,
        Action<VipEntryOptions>? vipEntry = null,
        Action<VipEntryTelegramOptions>? telegram = null,
        Action<TelegramBotClientOptions>? client = null,
        Action<IServiceCollection>? services = null,
        TimeSpan? httpTimeout = null,
        TestStore storeKind = TestStore.InMemory,
        string? database = null,
        int? starsPrice = null,
        InMemoryVipEntryPaymentStore? payments = null)
    {
        _ownsApi = api is null;
        Api = api ?? new FakeBotApiServer();
        Time = time ?? new RecordingTimeProvider(Start);

        // Telegram.Bot's own 429 retry is off here, so VipEntry's handling is what the tests see (one test turns it on).
        var clientOptions = new TelegramBotClientOptions(FakeBotApiServer.Token, baseUrl: Api.BaseUrl) { RetryThreshold = 0 };
        client?.Invoke(clientOptions);
        // The package never owns the HttpClient: a timeout is the host's HTTP timeout, which Telegram.Bot reports as a
        // RequestException ("Request timed out"). A short one keeps the timeout faults fast; it applies only to calls the
        // fake is holding, so on a busy machine no other call can time out by accident.
        if (httpTimeout is { } timeout)
        {
            _http = new HttpClient(new HeldCallTimeoutHandler(Api, timeout));
        }

        Bot = new TelegramBotClient(clientOptions, _http);

        var collection = new ServiceCollection();
        collection.AddFakeLogging();
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddSingleton<ITelegramBotClient>(Bot);
        if (store is not null)
        {
            collection.AddSingleton(store);
            collection.AddSingleton(SharedChannels.GetValue(store, _ => new InMemoryVipEntryChannelStore()));
        }

        // Replicas in memory share their payments; the EF stores keep them in the database (vip_entry_payments).
        if (payments is not null)
        {
            collection.AddSingleton(payments);
        }

        var builder = collection.AddVipEntry(vipEntry);
        if (storeKind == TestStore.Sqlite)
        {
            _sqlite = new SqliteStore(database);
            _sqlite.Register(builder);
        }
        else if (storeKind == TestStore.Postgres)
        {
            _postgres = database is null ? PostgresStore.Open() : PostgresStore.Attach(database);
            _postgres.Register(builder);
        }
        else
        {
            builder.UseInMemoryStore();
        }

        builder
            .AddTelegram(o =>
            {
                o.ChatId = VipChatId;
                o.RunChannelWorker = false;
                telegram?.Invoke(o);
            });
        if (starsPrice is not null)
        {
            builder.SellWithStars(starsPrice);
        }

        services?.Invoke(collection);
        Services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Store = storeKind == TestStore.InMemory ? Services.GetRequiredService<InMemoryVipEntryStore>() : null!;
        if (_sqlite is not null)
        {
            SqliteStore.Create(Services);
        }

        if (_postgres is not null)
        {
            try
            {
                PostgresStore.Create(Services);
            }
            catch
            {
                // The constructor throws, so nobody disposes this host: drop the scratch database here.
                Services.Dispose();
                Task.Run(async () => await _postgres.DisposeAsync()).GetAwaiter().GetResult();
                throw;
            }
        }

        Logs = Services.GetFakeLogCollector();
    }

    public FakeBotApiServer Api { get; }

    public RecordingTimeProvider Time { get; }

    public TelegramBotClient Bot { get; }

    public ServiceProvider Services { get; }

    /// <summary>The in-memory store (not set on <see cref="TestStore.Sqlite"/> or <see cref="TestStore.Postgres"/>).</summary>
    public InMemoryVipEntryStore Store { get; }

    public FakeLogCollector Logs { get; }

    /// <summary>The PostgreSQL database this host runs on (to give another host: <c>database</c>).</summary>
    public string PostgresConnectionString => _postgres?.ConnectionString ?? throw new InvalidOperationException("Not on PostgreSQL.");

    /// <summary>Every stored row (EF stores only).</summary>
    public IReadOnlyList<string> Rows() =>
        _sqlite?.ReadEveryRow() ?? _postgres?.ReadEveryRow() ?? throw new InvalidOperationException("Rows are read from the EF stores (SQLite, PostgreSQL) only.");

    /// <summary>Runs <paramref name="work"/> in a new scope, as a host runs one update.</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, ValueTask<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
    }

    public Task<T> TelegramAsync<T>(Func<IVipEntryTelegram, ValueTask<T>> work) =>
        InScopeAsync(sp => work(sp.GetRequiredService<IVipEntryTelegram>()));

    public Task<T> EngineAsync<T>(Func<IVipEntryStateMachine, ValueTask<T>> work) =>
        InScopeAsync(sp => work(sp.GetRequiredService<IVipEntryStateMachine>()));

    /// <summary>Passes an update (as Telegram sends it) to the entry point.</summary>
    public Task<bool> HandleAsync(JsonObject update) => TelegramAsync(t => t.HandleUpdateAsync(update.ToUpdate()));

    /// <summary>One cycle of VipEntry's channel worker (over this package's port), with its report.</summary>
    public Task<VipEntry.Core.Channel.VipEntryChannelCycleReport> RunChannelCycleAsync() =>
        InScopeAsync(async sp => await sp.GetRequiredService<VipEntry.Core.Channel.IVipEntryChannelWorker>().RunOnceAsync(CancellationToken.None));

    public Task<T> SellerAsync<T>(Func<IVipEntryStarsSeller, ValueTask<T>> work) =>
        InScopeAsync(sp => work(sp.GetRequiredService<IVipEntryStarsSeller>()));

    /// <summary>Runs <paramref name="work"/> on the payment store in a scope of its own (the EF stores are scoped).</summary>
    public Task<T> PaymentsAsync<T>(Func<IVipEntryPaymentStore, ValueTask<T>> work) =>
        InScopeAsync(sp => work(sp.GetRequiredService<IVipEntryPaymentStore>()));

    public Task<VipEntryStatus> StatusAsync(long userId) => EngineAsync(e => e.GetStatusAsync(userId));

    /// <summary>Enrols <paramref name="userId"/> (engine only: no Telegram call).</summary>
    public Task<VipEntryResult> EnrolAsync(long userId, int days = 30) =>
        EngineAsync(e => e.ActivateAsync(userId, Time.GetUtcNow().AddDays(days)));

    /// <summary>Enrols and advances to stage 3 through the engine; the stage-3 step issues the invite link on the fake API.</summary>
    public async Task<string> WalkToStage3Async(long userId, int days = 30)
    {
        await EnrolAsync(userId, days);
        await EngineAsync(e => e.AdvanceAsync(userId, VipEntryStage.ActivationConfirmation));
        await EngineAsync(e => e.AdvanceAsync(userId, VipEntryStage.ExpectationAlignment));
        var step = await EngineAsync(e => e.GetStepAsync(userId));
        return step.Result.Access?.Link ?? throw new InvalidOperationException($"No link at stage 3: {step.Result.Outcome}.\n{Api.Describe()}");
    }

    /// <summary>
    /// Walks <paramref name="userId"/> through the whole ritual: the link is redeemed through the engine (which records the
    /// member as possibly inside, R19), then the used link's owed revocation is done at once, as the join-request handler
    /// does after its approval. The fake's <c>getChatMember</c> is left as it was (default <c>left</c>).
    /// </summary>
    public async Task CompleteAsync(long userId, int days = 30)
    {
        var link = await WalkToStage3Async(userId, days);
        var redeemed = await EngineAsync(e => e.RedeemLinkAsync(userId, link));
        Assert.Equal(VipEntryOutcome.Redeemed, redeemed.Outcome);
        var revoked = await InScopeAsync(sp => sp.GetRequiredService<VipEntry.Core.Channel.IVipEntryChannelWorker>().WorkOnAsync(userId));
        Assert.Equal(1, revoked.LinksRevoked);
    }

    /// <summary>
    /// A live re-entry grant for a completed member whom the channel facts hold as inside: <c>getChatMember</c> fails once,
    /// so the transport cannot tell and the engine mints one (R16), as it would for a member who left unseen.
    /// </summary>
    public async Task<string> ReentryLinkWhileInsideAsync(long userId)
    {
        Api.FailNext("getChatMember", 400, "Bad Request: user not found");
        var reentry = await EngineAsync(e => e.RequestReentryAsync(userId));
        return reentry.Access?.Link ?? throw new InvalidOperationException($"No re-entry link: {reentry.Outcome}.\n{Api.Describe()}");
    }

    /// <summary>Ends the subscription now and moves the clock past it, so the next sweep finds the lapse.</summary>
    public async Task LapseAsync(long userId)
    {
        await EngineAsync(e => e.EndSubscriptionAsync(userId));
        Time.Advance(TimeSpan.FromSeconds(1));
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        _http?.Dispose();
        _sqlite?.Dispose();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        if (_ownsApi)
        {
            await Api.DisposeAsync();
        }
    }
}
