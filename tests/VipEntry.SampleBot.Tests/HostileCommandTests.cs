using CsCheck;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore;
using VipEntry.Core.Engine;
using VipEntry.Core.Links;
using VipEntry.Core.Results;
using VipEntry.Core.Storage;
using VipEntry.Core.Stages;
using VipEntry.SampleBot.Data;
using VipEntry.SampleBot.Ritual;
using VipEntry.Tests.Hostile;

namespace VipEntry.SampleBot.Tests;

/// <summary>
/// Hostile input at the sample's edges (issue 10): text commands, button data, join-request links and activation codes,
/// any string — invalid UTF-16, up to 1 MB, control characters, bidi marks, SQL and format metacharacters, near misses of
/// a real code and link — gives a reply, never an exception, and never activates, advances, admits or consumes anything.
/// The real <see cref="RitualService"/>, <see cref="ActivationCodes"/> and engine on a SQLite file.
/// </summary>
public sealed class HostileCommandTests : IAsyncLifetime
{
    /// <summary>Cases per property in the short mode (the figure in docs/reliability.md); times VIPENTRY_PROPERTY_SCALE in the long mode.</summary>
    public const int Cases = 300;

    private const long Member = 5;
    private const long Newcomer = 6;
    private const long Admin = 1;
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"vipentry-hostile-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly RecordingTransport _transport = new();
    private ServiceProvider? _provider;
    private string _code = "";
    private string _link = "";

    public async ValueTask InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddDbContext<SampleDbContext>(o => o.UseSqlite($"Data Source={_path};Default Timeout=30"));
        services.AddVipEntry().AddEntityFrameworkCoreStore<SampleDbContext>().UseLinkIssuer<CountingIssuer>(ServiceLifetime.Singleton)
            .UseChannel<QuietChannel>(o => o.Enabled = false, ServiceLifetime.Singleton);
        services.AddSingleton<IRitualTransport>(_transport);
        services.AddScoped<ActivationCodes>();
        services.AddScoped<EngineRitual>();
        services.AddScoped<IRitualSteps>(sp => sp.GetRequiredService<EngineRitual>());
        services.AddScoped<RitualService>();
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await using var scope = _provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SampleDbContext>().Database.EnsureCreatedAsync();

        // The member walked to stage 3 and holds a live, recorded link; an unused code waits for someone.
        var codes = scope.ServiceProvider.GetRequiredService<ActivationCodes>();
        var machine = scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>();
        Assert.Equal(VipEntryOutcome.Started, (await machine.ActivateAsync(Member, Start.AddDays(30))).Outcome);
        await machine.AdvanceAsync(Member, VipEntryStage.ActivationConfirmation);
        await machine.AdvanceAsync(Member, VipEntryStage.ExpectationAlignment);
        _link = (await machine.DeliverAccessAsync(Member)).Access!.Link;
        _code = await codes.CreateAsync(30, Admin, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }

    [Fact]
    public async Task Issue10_Any_text_command_button_or_join_link_gets_a_reply_and_changes_nothing() =>
        await Gen.Select(HostileInput.Any, HostileInput.NearMisses).SampleAsync(
            async (text, miss) =>
            {
                foreach (var candidate in new[] { text, "/start " + text, "/status " + text, "/start " + miss.Apply(_code), miss.Apply(_link) })
                {
                    // The real code with a trailing no-break space is the real code (commands are trimmed): not a near miss.
                    if (candidate == _link || candidate.Contains(_code, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var ritual = Ritual();
                    var steps = Scope().GetRequiredService<EngineRitual>();
                    Assert.NotNull(await ritual.HandleTextAsync(new RitualUser(Member, IsAdmin: false), candidate, CancellationToken.None));
                    Assert.NotNull(await ritual.HandleTextAsync(new RitualUser(Newcomer, IsAdmin: false, LanguageCode: candidate), candidate, CancellationToken.None));
                    if (candidate is not ("vipe:1:1" or "vipe:1:2" or "vipe:1:n" or "vipe:1:r"))
                    {
                        Assert.Equal("This button is not valid.", (await steps.HandleButtonAsync(new RitualUser(Member, IsAdmin: false), candidate, CancellationToken.None)).Toast);
                    }

                    Assert.NotNull(await steps.HandleJoinRequestAsync(Member, candidate, candidate, CancellationToken.None));
                    Assert.NotNull(await steps.HandleJoinRequestAsync(Newcomer, candidate, null, CancellationToken.None));
                }

                // Nothing was admitted, activated or consumed; the member is where they were.
                Assert.Equal(0, _transport.Admitted);
                var status = await Machine().GetStatusAsync(Member);
                Assert.Equal(VipEntryStage.AccessDelivery, status.Stage);
                Assert.Equal(Start.AddDays(30), status.SubscriptionEndsAt);
                Assert.Equal(VipEntryStage.NotEnrolled, (await Machine().GetStatusAsync(Newcomer)).Stage);
            },
            iter: HostileInput.Scaled(Cases),
            threads: 1,
            print: t => $"{HostileInput.Describe(t.Item1)}, {t.Item2}");

    [Fact]
    public async Task Issue10_Activation_codes_any_string_or_near_miss_of_a_real_code_is_never_consumed() =>
        await Gen.Select(HostileInput.Any, HostileInput.NearMisses).SampleAsync(
            async (text, miss) =>
            {
                var codes = Scope().GetRequiredService<ActivationCodes>();
                foreach (var candidate in new[] { text, miss.Apply(_code) })
                {
                    if (candidate != _code)
                    {
                        Assert.Null(await codes.TryConsumeAsync(candidate, Newcomer, CancellationToken.None));
                    }
                }
            },
            iter: HostileInput.Scaled(Cases),
            threads: 1,
            print: t => $"{HostileInput.Describe(t.Item1)}, {t.Item2}");

    [Fact]
    public async Task Issue10_Activation_codes_random_well_formed_codes_are_never_consumed_and_the_real_one_is_once() =>
        await Gen.Char[HostileInput.Alphabet].Array[32, 32].Select(a => new string(a)).SampleAsync(
            async code =>
            {
                if (code != _code)
                {
                    Assert.Null(await Scope().GetRequiredService<ActivationCodes>().TryConsumeAsync(code, Newcomer, CancellationToken.None));
                }

                var fresh = await Scope().GetRequiredService<ActivationCodes>().CreateAsync(1, Admin, CancellationToken.None);
                Assert.Equal(1, await Scope().GetRequiredService<ActivationCodes>().TryConsumeAsync(fresh, Newcomer, CancellationToken.None));
                Assert.Null(await Scope().GetRequiredService<ActivationCodes>().TryConsumeAsync(fresh, Newcomer, CancellationToken.None));
            },
            iter: HostileInput.Scaled(Cases),
            threads: 1);

    [Fact]
    public async Task Issue15_In_the_terminal_a_stale_or_replayed_button_press_shows_nothing_new_only_a_toast()
    {
        // The member is at stage 3 with a live, shown link: presses of the stage-1 and stage-2 buttons are stale, and a
        // new-link press would show the same link again. Each is answered (a toast) and shows no message.
        var steps = Scope().GetRequiredService<EngineRitual>();
        var member = new RitualUser(Member, IsAdmin: false);
        foreach (var data in new[] { "vipe:1:1", "vipe:1:2", "vipe:1:n" })
        {
            var reply = await steps.HandleButtonAsync(member, data, TestContext.Current.CancellationToken);
            Assert.Empty(reply.Messages);
            Assert.False(string.IsNullOrWhiteSpace(reply.Toast), data);
        }

        var status = await Machine().GetStatusAsync(Member, TestContext.Current.CancellationToken);
        Assert.Equal(VipEntryStage.AccessDelivery, status.Stage);
        Assert.True(status.HasLiveGrant);
    }

    private IServiceProvider Scope() => _provider!.CreateScope().ServiceProvider;

    private RitualService Ritual() => Scope().GetRequiredService<RitualService>();

    private IVipEntryStateMachine Machine() => Scope().GetRequiredService<IVipEntryStateMachine>();

    private sealed class CountingIssuer : IVipEntryLinkIssuer
    {
        private int _count;

        public ValueTask<VipEntryLinkIssueResult> IssueAsync(VipEntryLinkRequest request, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(VipEntryLinkIssueResult.Recorded($"https://t.me/+hostile{Interlocked.Increment(ref _count)}"));
    }

    private sealed class RecordingTransport : IRitualTransport
    {
        public int Admitted { get; private set; }

        public ValueTask<string> FormatActivationLinkAsync(string code, CancellationToken cancellationToken) => ValueTask.FromResult("https://t.me/bot?start=" + code);

        public ValueTask<bool> AdmitAsync(long userId, CancellationToken cancellationToken)
        {
            Admitted++;
            return ValueTask.FromResult(true);
        }

        public ValueTask<bool> RefuseAsync(long userId, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask<bool> LeaveAsync(long userId, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }
}
