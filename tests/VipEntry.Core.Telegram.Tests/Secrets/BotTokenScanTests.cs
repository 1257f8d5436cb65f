using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using VipEntry.Core.Telegram.Tests.Faults;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Core.Tokens;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests.Secrets;

/// <summary>
/// Issue 10, secrets (R12): a whole ritual through the Telegram package on the EF store (SQLite, PostgreSQL) — activation, presses, the
/// link, a forwarded join request, the owner's join, re-entry, a lapse and the worker's removal — with faults that make
/// exceptions (a 400, a 403, a dropped connection, a timeout), every log level captured (Trace included) and a
/// <see cref="MeterListener"/> on every instrument. Every log line (message, state values, exception ToString), metric tag
/// and stored row is scanned for the bot token (and its secret half) and for every plain access token: none appears.
/// </summary>
public sealed class BotTokenScanTests
{
    [Theory]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task Issue10_R12_the_bot_token_and_plain_access_tokens_appear_in_no_log_line_metric_tag_exception_or_row(TestStore store)
    {
        var tokens = new CapturingTokenGenerator();
        var tags = new ConcurrentQueue<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => l.EnableMeasurementEvents(instrument);
        listener.SetMeasurementEventCallback<long>((instrument, value, tagList, _) =>
        {
            tags.Enqueue(instrument.Meter.Name + "/" + instrument.Name);
            foreach (var tag in tagList)
            {
                tags.Enqueue(tag.Key + "=" + tag.Value);
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tagList, _) =>
        {
            foreach (var tag in tagList)
            {
                tags.Enqueue(tag.Key + "=" + tag.Value);
            }
        });
        listener.Start();

        await using var host = new TelegramTestHost(
            httpTimeout: FaultInjector.HttpTimeout,
            storeKind: store,
            services: s =>
            {
                s.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true);
                s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
                s.Replace(ServiceDescriptor.Singleton<ITokenGenerator>(tokens));
            });
        host.Api.TrackMembership = true;
        const long member = FaultScenarios.Member;

        // The ritual, with exceptions on the way: a dropped stage-1 prompt, a 400 on the press's answer, a timed-out link.
        await FaultInjector.DuringAsync(host, "sendMessage", BotApiFault.ConnectionDropped, () => FaultScenarios.ActivateAsync(host));
        await FaultScenarios.StartAsync(host);
        await FaultInjector.DuringAsync(host, "answerCallbackQuery", BotApiFault.BadRequest, () => FaultScenarios.PressAsync(host));
        await FaultInjector.DuringAsync(host, "createChatInviteLink", BotApiFault.Timeout, () => FaultScenarios.PressAsync(host));
        await FaultScenarios.StartAsync(host);
        var link = Assert.Single(FaultScenarios.Last(host).Urls);
        await FaultInjector.DuringAsync(host, "declineChatJoinRequest", BotApiFault.Forbidden, () => host.HandleAsync(TelegramUpdates.JoinRequest(TelegramTestHost.VipChatId, FaultScenarios.Stranger, link)));
        await FaultScenarios.JoinAsync(host, link);
        Assert.Equal("member", host.Api.ChatMemberStatus(member));

        // Re-entry, then a lapse whose first removal fails (403) and whose retry succeeds.
        host.Api.SetChatMember(member, "left");
        host.Time.Advance(TimeSpan.FromMinutes(6));
        await new MemberAtTheKeyboard(host, member).GetInAsync();
        await host.LapseAsync(member);
        await FaultInjector.DuringAsync(host, "banChatMember", BotApiFault.Forbidden, () => host.RunChannelCycleAsync());
        host.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(1, (await host.RunChannelCycleAsync()).LapsesConfirmed);
        listener.RecordObservableInstruments();

        var secrets = new List<string> { FakeBotApiServer.Token, FakeBotApiServer.Token.Split(':')[1] };
        secrets.AddRange(tokens.Tokens);
        Assert.True(tokens.Tokens.Count >= 2, "The ritual issued no grants.");

        var lines = new List<string>();
        var logs = host.Logs.GetSnapshot();
        foreach (var record in logs)
        {
            lines.Add(record.Message);
            lines.Add(record.Exception?.ToString() ?? string.Empty);
            lines.AddRange(record.StructuredState?.Select(kv => kv.Key + "=" + kv.Value) ?? []);
        }

        Assert.Contains(logs, r => r.Exception is not null);
        Assert.Contains(logs, r => r.Level == LogLevel.Warning && r.Category?.Contains("TelegramCall", StringComparison.Ordinal) == true);
        var rows = host.Rows();
        Assert.NotEmpty(rows);
        Assert.NotEmpty(tags);

        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(tags, t => t.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(rows, r => r.Contains(secret, StringComparison.Ordinal));
        }

        // The figures the report gives.
        TestContext.Current.SendDiagnosticMessage($"Scanned {lines.Count} log strings from {logs.Count} records, {tags.Count} metric names/tags, {rows.Count} rows for {secrets.Count} secrets.");
    }
}
