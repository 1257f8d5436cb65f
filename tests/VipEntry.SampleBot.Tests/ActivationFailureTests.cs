using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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

namespace VipEntry.SampleBot.Tests;

/// <summary>
/// A database failure in the middle of <c>/start &lt;code&gt;</c> (issue 14, defect 8): the real <see cref="RitualService"/>,
/// <see cref="ActivationCodes"/> and engine on a SQLite file, with an EF Core interceptor that fails one chosen statement.
/// A failure before the activation is recorded gives the code back, so the member's retry works; a failure after it keeps
/// the code spent, so the same code never pays twice.
/// </summary>
public sealed class ActivationFailureTests : IAsyncLifetime
{
    private const long Member = 5;
    private const long Other = 6;
    private const long Admin = 1;
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"vipentry-activation-failure-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly FailingStatements _failure = new();
    private ServiceProvider? _provider;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddDbContext<SampleDbContext>(o => o.UseSqlite($"Data Source={_path};Default Timeout=30").AddInterceptors(_failure));
        services.AddVipEntry().AddEntityFrameworkCoreStore<SampleDbContext>().UseLinkIssuer<CountingIssuer>(ServiceLifetime.Singleton)
            .UseChannel<QuietChannel>(o => o.Enabled = false, ServiceLifetime.Singleton);
        services.AddSingleton<IRitualTransport, QuietTransport>();
        services.AddScoped<ActivationCodes>();
        services.AddScoped<EngineRitual>();
        services.AddScoped<IRitualSteps>(sp => sp.GetRequiredService<EngineRitual>());
        services.AddScoped<RitualService>();
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await using var scope = _provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SampleDbContext>().Database.EnsureCreatedAsync(Ct);
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
    public async Task Issue14_Defect8_ADatabaseFailureDuringStart_LeavesTheCodeUsable()
    {
        var code = await NewCodeAsync();

        // The INSERT that enrols the member fails: the member's /start throws (the transport tells them to try again).
        _failure.FailNext(FailingStatements.Enrolment);
        await Assert.ThrowsAnyAsync<DbException>(() => StartAsync(Member, code));
        Assert.Equal(1, _failure.Failed);
        Assert.Equal(VipEntryStage.NotEnrolled, (await StatusAsync(Member)).Stage);

        // The retry with the same code activates them: stage 1, 30 days from now.
        var retry = await StartAsync(Member, code);
        Assert.StartsWith("Subscription active until 2030-01-31 12:00 UTC (30 days added).", retry.Messages[0].Text, StringComparison.Ordinal);
        var status = await StatusAsync(Member);
        Assert.Equal(VipEntryStage.ActivationConfirmation, status.Stage);
        Assert.Equal(Start.AddDays(30), status.SubscriptionEndsAt);

        // The code paid once: it is spent now, for anyone.
        Assert.Equal("This link or code is not valid.", Assert.Single((await StartAsync(Other, code)).Messages).Text);
        Assert.Equal(VipEntryStage.NotEnrolled, (await StatusAsync(Other)).Stage);
    }

    [Fact]
    public async Task Issue14_Defect8_AFailureAfterTheActivationWasRecorded_KeepsTheCodeSpent()
    {
        var code = await NewCodeAsync();

        // The enrolment commits; the next read (showing the member their step) fails, so /start throws all the same.
        _failure.FailNext(FailingStatements.ReadAfterEnrolment);
        await Assert.ThrowsAnyAsync<DbException>(() => StartAsync(Member, code));
        Assert.Equal(1, _failure.Failed);
        Assert.Equal(VipEntryStage.ActivationConfirmation, (await StatusAsync(Member)).Stage);

        // The activation it paid for happened: the code is not given back, so a retry cannot add its days a second time.
        var retry = await StartAsync(Member, code);
        Assert.Equal("This link or code is not valid.", retry.Messages[0].Text);
        Assert.Equal(Start.AddDays(30), (await StatusAsync(Member)).SubscriptionEndsAt);
    }

    private async Task<string> NewCodeAsync()
    {
        await using var scope = _provider!.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ActivationCodes>().CreateAsync(30, Admin, Ct);
    }

    // Each command in its own scope (its own DbContext), as each update or terminal line is.
    private async Task<RitualReply> StartAsync(long userId, string code)
    {
        await using var scope = _provider!.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RitualService>().HandleTextAsync(new RitualUser(userId, IsAdmin: false), "/start " + code, Ct);
    }

    private async Task<VipEntryStatus> StatusAsync(long userId)
    {
        await using var scope = _provider!.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>().GetStatusAsync(userId, Ct);
    }

    /// <summary>Fails one chosen statement on the subscribers' table, once, as a lost connection or a full disk would.</summary>
    private sealed class FailingStatements : DbCommandInterceptor
    {
        public const int Enrolment = 1;
        public const int ReadAfterEnrolment = 2;

        private int _mode;
        private bool _enrolled;
        private int _failed;

        public int Failed => Volatile.Read(ref _failed);

        public void FailNext(int mode)
        {
            _enrolled = false;
            Volatile.Write(ref _mode, mode);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(command);
            if (IsEnrolment(command))
            {
                if (Volatile.Read(ref _mode) == Enrolment)
                {
                    Fail();
                }

                _enrolled = true;
            }

            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(command);
            if (_enrolled && Volatile.Read(ref _mode) == ReadAfterEnrolment && command.CommandText.Contains("vip_subscribers", StringComparison.Ordinal))
            {
                Fail();
            }

            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        private static bool IsEnrolment(DbCommand command) =>
            command.CommandText.TrimStart().StartsWith("INSERT INTO", StringComparison.OrdinalIgnoreCase)
            && command.CommandText.Contains("vip_subscribers", StringComparison.Ordinal);

        private void Fail()
        {
            // Once: the mode is cleared before throwing.
            Volatile.Write(ref _mode, 0);
            Interlocked.Increment(ref _failed);
            throw new SqliteException("SQLite Error 10: 'disk I/O error'.", 10);
        }
    }

    private sealed class CountingIssuer : IVipEntryLinkIssuer
    {
        private int _count;

        public ValueTask<VipEntryLinkIssueResult> IssueAsync(VipEntryLinkRequest request, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(VipEntryLinkIssueResult.Recorded($"https://t.me/+failure{Interlocked.Increment(ref _count)}"));
    }

    private sealed class QuietTransport : IRitualTransport
    {
        public ValueTask<string> FormatActivationLinkAsync(string code, CancellationToken cancellationToken) => ValueTask.FromResult("https://t.me/bot?start=" + code);

        public ValueTask<bool> AdmitAsync(long userId, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask<bool> RefuseAsync(long userId, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask<bool> LeaveAsync(long userId, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }
}
