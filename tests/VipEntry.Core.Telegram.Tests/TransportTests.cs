using Telegram.Bot;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests;

public sealed class TransportTests
{
    [Fact]
    public async Task R17_A429OnAPrompt_WaitsRetryAfterOnTheInjectedClock_ThenSends()
    {
        await using var host = new TelegramTestHost();
        await host.EnrolAsync(7701);
        host.Api.FailNext("sendMessage", 429, "Too Many Requests: retry after 5", retryAfter: 5);

        var show = host.TelegramAsync(t => t.ShowStepAsync(7701));
        await host.Time.WaitForTimerAsync(TimeSpan.FromSeconds(5));
        Assert.Single(host.Api.Calls("sendMessage"));
        host.Time.Advance(TimeSpan.FromSeconds(5));
        await show.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, host.Api.Calls("sendMessage").Count);
        Assert.Single(host.Api.Succeeded("sendMessage"));
    }

    [Fact]
    public async Task R17_429sBeyondRateLimitRetries_GiveUp()
    {
        await using var host = new TelegramTestHost(telegram: o => o.RateLimitRetries = 1);
        await host.CompleteAsync(7702);
        await host.LapseAsync(7702);
        host.Api.FailNext("banChatMember", 429, "Too Many Requests: retry after 2", retryAfter: 2, times: 2);

        var cycle = host.RunChannelCycleAsync();
        await host.Time.WaitForTimerAsync(TimeSpan.FromSeconds(2));
        host.Time.Advance(TimeSpan.FromSeconds(2));
        var report = await cycle.WaitAsync(TimeSpan.FromSeconds(30));

        // The removal (channel facts) and the lapse waiting on it both stay owed.
        Assert.Equal(VipEntry.Core.Channel.VipEntryChannelCycleReport.Empty with { Failed = 2 }, report);
        Assert.Equal(2, host.Api.Calls("banChatMember").Count);
        Assert.Single(host.Time.Timers, t => t == TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task TelegramBot22_RetriesAShort429Itself_WithItsDefaultOptions_BeforeVipEntrySeesIt()
    {
        var defaults = new TelegramBotClientOptions(FakeBotApiServer.Token);
        Assert.Equal(60, defaults.RetryThreshold);
        Assert.Equal(3, defaults.RetryCount);
        await using var host = new TelegramTestHost(client: o =>
        {
            o.RetryThreshold = defaults.RetryThreshold;
            o.RetryCount = defaults.RetryCount;
        });
        await host.EnrolAsync(7703);
        host.Api.FailNext("sendMessage", 429, "Too Many Requests: retry after 1", retryAfter: 1);

        await host.TelegramAsync(t => t.ShowStepAsync(7703));

        // Telegram.Bot waited on the real clock and sent again; VipEntry never started a wait of its own.
        Assert.Equal(2, host.Api.Calls("sendMessage").Count);
        Assert.Single(host.Api.Succeeded("sendMessage"));
        Assert.DoesNotContain(TimeSpan.FromSeconds(1), host.Time.Timers);
    }

    [Fact]
    public async Task R13_BotApiFailures_InAnUpdate_AreData_NeverExceptions()
    {
        await using var host = new TelegramTestHost();
        var link = await host.WalkToStage3Async(7704);
        host.Api.DropNext("approveChatJoinRequest", times: 2);
        host.Api.FailNext("sendMessage", 403, "Forbidden: bot was blocked by the user", times: 5);

        var handled = await host.HandleAsync(TelegramUpdates.JoinRequest(TelegramTestHost.VipChatId, 7704, link));

        Assert.True(handled);
        Assert.Empty(host.Api.Calls("revokeChatInviteLink"));
    }
}
