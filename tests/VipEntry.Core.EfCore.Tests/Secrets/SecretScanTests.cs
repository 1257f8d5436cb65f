using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Faults;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Core.Engine;
using VipEntry.Core.Links;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;

namespace VipEntry.Core.EfCore.Tests.Secrets;

/// <summary>
/// Secrets (issue 10, R12): a whole ritual on the EF store (SQLite) — issue, nudges, a forwarded and a garbage redemption,
/// redemption, re-entry, a token-carrying link redeemed by token, a failing issuer, a store fault surfacing as an exception,
/// the end of the subscription, a lapse claim and its confirmation — with capturing loggers (the engine's and EF Core's) and
/// a metrics listener; then every log line (message and state values), every metric tag, every exception message and every
/// table row is scanned for each plain token the issuer was handed: none appears (the hash may).
/// </summary>
public sealed class SecretScanTests(SqliteReadyMadeBackend backend) : IClassFixture<SqliteReadyMadeBackend>
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task R12_No_plain_token_in_any_log_line_metric_tag_exception_message_or_table_row_after_a_whole_ritual()
    {
        var clock = new FakeTimeProvider(Start);
        var issuer = new CapturingIssuer();
        var injector = new FaultInjector(DatabaseEngine.Sqlite, backend.ConnectionString);
        using var meters = new ScopedMeterFactory();
        var services = new ServiceCollection();
        services.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<IMeterFactory>(meters);
        services.AddSingleton<TimeProvider>(clock);
        services.AddVipEntry(o =>
        {
            o.NudgeIdleAfter = TimeSpan.FromHours(1);
            o.NudgeBeforeExpiry = TimeSpan.FromHours(2);
            o.ReissueCooldown = TimeSpan.FromMinutes(5);
        }).AddEntityFrameworkCoreStore<ReadyMadeContext>();
        services.Replace(ServiceDescriptor.Singleton<IVipEntryLinkIssuer>(issuer));
        services.AddDbContext<ReadyMadeContext>(o =>
        {
            backend.ConfigureProvider(o);
            o.AddInterceptors(injector);
        });
        await using var provider = services.BuildServiceProvider();
        await backend.ResetAsync(provider);

        var tags = new ConcurrentQueue<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tagList, _) =>
        {
            tags.Enqueue(instrument.Name);
            foreach (var tag in tagList)
            {
                tags.Enqueue(tag.Key + "=" + tag.Value);
            }
        });
        listener.Start();

        var exceptions = new List<Exception>();
        IVipEntryStateMachine Machine() => provider.CreateScope().ServiceProvider.GetRequiredService<IVipEntryStateMachine>();

        // Member 1: the Telegram-like path, with a recorded link. Idle nudges at stages 1 and 3, an expiring-link nudge.
        Assert.Equal(VipEntryOutcome.Started, (await Machine().ActivateAsync(1, Start.AddDays(30))).Outcome);
        clock.Advance(TimeSpan.FromHours(2));
        var idle = (await Machine().ClaimNudgesAsync()).ToString() + (await Machine().ClaimNudgesAsync()).ToString();
        await Machine().AdvanceAsync(1, VipEntryStage.ActivationConfirmation);
        await Machine().HandleCallbackAsync(1, "vipe:1:2");
        var link1 = (await Machine().GetStepAsync(1)).Result.Access!.Link;
        clock.Advance(TimeSpan.FromHours(23));
        var nudges = await Machine().ClaimNudgesAsync();
        Assert.Contains(nudges.Nudges, n => n.SubscriberId == 1);
        Assert.Equal(VipEntryOutcome.Refused, (await Machine().RedeemLinkAsync(2, link1)).Outcome);
        Assert.Equal(VipEntryOutcome.InvalidInput, (await Machine().RedeemTokenAsync(1, issuer.Tokens[0] + "!")).Outcome);
        var nearMiss = issuer.Tokens[0][..63] + (issuer.Tokens[0][63] == 'A' ? 'B' : 'A');
        Assert.Equal(VipEntryOutcome.UnknownGrant, (await Machine().RedeemTokenAsync(1, nearMiss)).Outcome);
        Assert.Equal(VipEntryOutcome.Redeemed, (await Machine().RedeemLinkAsync(1, link1)).Outcome);

        // Re-entry (R16): a new grant for the completed member, redeemed by its owner.
        var reentry = await Machine().RequestReentryAsync(1);
        Assert.Equal(VipEntryOutcome.AccessIssued, reentry.Outcome);
        Assert.Equal(VipEntryOutcome.Readmitted, (await Machine().RedeemLinkAsync(1, reentry.Access!.Link)).Outcome);

        // Member 3: a web-like link that carries the token (never stored), redeemed by token after a forwarded attempt.
        issuer.CarryToken = true;
        Assert.Equal(VipEntryOutcome.Started, (await Machine().ActivateAsync(3, clock.GetUtcNow().AddDays(30))).Outcome);
        await Machine().AdvanceAsync(3, VipEntryStage.ActivationConfirmation);
        await Machine().AdvanceAsync(3, VipEntryStage.ExpectationAlignment);
        var token3 = (await Machine().DeliverAccessAsync(3)).Access!.Link[^64..];
        Assert.Equal(VipEntryOutcome.Refused, (await Machine().RedeemTokenAsync(1, token3)).Outcome);

        // A store fault in the middle of a redemption by token: the exception reaches the caller; the retry works.
        injector.Arm(2, FaultKind.Error);
        exceptions.Add(await Assert.ThrowsAnyAsync<DbException>(async () => await Machine().RedeemTokenAsync(3, token3)));
        injector.Arm(0, FaultKind.Error);
        Assert.Equal(VipEntryOutcome.Redeemed, (await Machine().RedeemTokenAsync(3, token3)).Outcome);

        // Member 4: the issuer fails with the token in its exception message; the engine must not pass it on.
        issuer.CarryToken = false;
        issuer.ThrowWithToken = true;
        Assert.Equal(VipEntryOutcome.Started, (await Machine().ActivateAsync(4, clock.GetUtcNow().AddDays(30))).Outcome);
        await Machine().AdvanceAsync(4, VipEntryStage.ActivationConfirmation);
        await Machine().AdvanceAsync(4, VipEntryStage.ExpectationAlignment);
        Assert.Equal(VipEntryOutcome.LinkIssuerFailed, (await Machine().DeliverAccessAsync(4)).Outcome);
        issuer.ThrowWithToken = false;
        var link4 = (await Machine().DeliverAccessAsync(4)).Access!.Link;

        // The hash is stored (so a stored token would have been caught by the scan below).
        var rowsWithGrant = await ReadEveryRowAsync();
        Assert.Contains(rowsWithGrant, r => r.Contains(issuer.Hashes[^1], StringComparison.Ordinal));

        // Lapses: member 1 ends (completed, inside), member 4 ends holding a live grant; a sweep claims, the worker confirms.
        Assert.Equal(VipEntryOutcome.SubscriptionEnded, (await Machine().EndSubscriptionAsync(1)).Outcome);
        Assert.Equal(VipEntryOutcome.SubscriptionEnded, (await Machine().EndSubscriptionAsync(4)).Outcome);
        var swept = await Machine().SweepAsync();
        Assert.Equal(2, swept.Lapses.Count);
        Assert.Contains(swept.Lapses, l => l.LinkToRevoke == link4);
        foreach (var lapse in swept.Lapses)
        {
            Assert.Equal(VipEntryOutcome.LapseConfirmed, (await Machine().ConfirmLapseHandledAsync(lapse)).Outcome);
        }

        // Results and their ToString are part of what a host logs.
        var texts = new List<string>
        {
            swept.ToString(), nudges.ToString(), reentry.ToString(), idle,
        };
        listener.RecordObservableInstruments();
        var logs = provider.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, r => r.Category?.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) == true);
        Assert.Contains(logs, r => r.Category?.StartsWith("VipEntry", StringComparison.Ordinal) == true);
        foreach (var record in logs)
        {
            texts.Add(record.Message);
            texts.AddRange(record.StructuredState?.Select(kv => kv.Key + "=" + kv.Value) ?? []);
            if (record.Exception is { } logged)
            {
                exceptions.Add(logged);
            }
        }

        texts.AddRange(exceptions.Select(e => e.ToString()));
        Assert.NotEmpty(tags);
        texts.AddRange(tags);
        var rows = await ReadEveryRowAsync();
        Assert.True(rows.Count >= 3);
        texts.AddRange(rows);
        texts.AddRange(rowsWithGrant);

        Assert.True(issuer.Tokens.Count >= 5, $"only {issuer.Tokens.Count} tokens were issued");
        foreach (var token in issuer.Tokens)
        {
            var leaks = texts.Where(t => t.Contains(token, StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, $"a plain token appears in:\n{string.Join("\n", leaks)}");
        }
    }

    // Every column of every row of the subscriber table, as text.
    private async Task<List<string>> ReadEveryRowAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(backend.ConnectionString);
        await connection.OpenAsync();
        var rows = new List<string>();
        await using var tables = connection.CreateCommand();
        tables.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        var names = new List<string>();
        await using (var reader = await tables.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        foreach (var name in names)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{name}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(name + ": " + string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
            }
        }

        return rows;
    }

    private sealed class CapturingIssuer : IVipEntryLinkIssuer
    {
        private int _count;

        public List<string> Tokens { get; } = [];

        public List<string> Hashes { get; } = [];

        public bool CarryToken { get; set; }

        public bool ThrowWithToken { get; set; }

        public ValueTask<VipEntryLinkIssueResult> IssueAsync(VipEntryLinkRequest request, CancellationToken cancellationToken = default)
        {
            Tokens.Add(request.Token.Value);
            Hashes.Add(request.Token.ComputeHash());
            if (ThrowWithToken)
            {
                throw new InvalidOperationException("could not create a link for " + request.Token.Value);
            }

            return ValueTask.FromResult(CarryToken
                ? VipEntryLinkIssueResult.CarriesToken("https://example.test/join?t=" + request.Token.Value)
                : VipEntryLinkIssueResult.Recorded($"https://t.me/+secret{Interlocked.Increment(ref _count)}"));
        }
    }

    private sealed class ScopedMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}
