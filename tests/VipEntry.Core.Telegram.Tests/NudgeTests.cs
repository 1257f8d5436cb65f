using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests;

public sealed class NudgeTests
{
    [Fact]
    public async Task R18_Reminders_are_off_by_default()
    {
        await using var host = new TelegramTestHost();
        await host.EnrolAsync(8101);
        await host.WalkToStage3Async(8102);
        var before = host.Api.LastSequence;
        for (var i = 0; i < 4; i++)
        {
            host.Time.Advance(TimeSpan.FromHours(7));
            Assert.Equal(0, (await host.RunChannelCycleAsync()).Nudged);
        }

        Assert.DoesNotContain(host.Api.Calls("sendMessage"), c => c.Sequence > before);
    }

    [Fact]
    public async Task R18_An_idle_member_gets_one_reminder_with_their_step_even_with_two_replicas_sending_at_once()
    {
        await using var api = new FakeBotApiServer();
        var store = new InMemoryVipEntryStore();
        var time = new RecordingTimeProvider(TelegramTestHost.Start);
        await using var a = new TelegramTestHost(api, store, time, vipEntry: o => o.NudgeIdleAfter = TimeSpan.FromHours(1));
        await using var b = new TelegramTestHost(api, store, time, vipEntry: o => o.NudgeIdleAfter = TimeSpan.FromHours(1));
        await a.EnrolAsync(8201);
        Assert.Equal(0, (await a.RunChannelCycleAsync()).Nudged); // the first pass starts the visit's clock
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromTicks(12_345));
        var before = api.LastSequence;

        // Issue 14: reminders are sent by VipEntry's channel worker (SendNudgesAsync is gone); each replica runs a cycle.
        var reports = await Task.WhenAll(a.RunChannelCycleAsync(), b.RunChannelCycleAsync());

        Assert.Equal(1, reports.Sum(r => r.Nudged));
        var messages = api.Calls("sendMessage").Where(c => c.Sequence > before).ToList();
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal(8201, m.Number("chat_id")));
        Assert.StartsWith("Your VIP entry is waiting for you", messages[0].Text("text"), StringComparison.Ordinal);
        Assert.Equal(["vipe:1:1"], messages[1].CallbackData); // the stage-1 prompt, ready to press
        time.Advance(TimeSpan.FromHours(5));
        Assert.Equal(0, (await b.RunChannelCycleAsync()).Nudged);
    }

    [Fact]
    public async Task R18_An_unused_link_about_to_expire_gets_one_reminder_showing_the_same_link()
    {
        await using var host = new TelegramTestHost(vipEntry: o => o.NudgeBeforeExpiry = TimeSpan.FromHours(2));
        var link = await host.WalkToStage3Async(8301);
        var expires = (await host.StatusAsync(8301)).GrantExpiresAt!.Value;
        host.Time.SetUtcNow(expires - TimeSpan.FromHours(2) + TimeSpan.FromMilliseconds(3.5));
        var before = host.Api.LastSequence;

        Assert.Equal(1, (await host.RunChannelCycleAsync()).Nudged);

        var messages = host.Api.Calls("sendMessage").Where(c => c.Sequence > before).ToList();
        Assert.Equal(2, messages.Count);
        Assert.Contains(expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), messages[0].Text("text"), StringComparison.Ordinal);
        Assert.Equal([link], messages[1].Urls);
        Assert.Single(host.Api.Calls("createChatInviteLink")); // shown again, not minted again
        Assert.Equal(0, (await host.RunChannelCycleAsync()).Nudged);
        Assert.Equal(VipEntryStage.AccessDelivery, (await host.StatusAsync(8301)).Stage);
    }
}
