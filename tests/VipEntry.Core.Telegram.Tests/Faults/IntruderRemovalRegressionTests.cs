using VipEntry.Core.Channel;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests.Faults;

/// <summary>
/// An intruder whose removal failed: Telegram sends a <c>chat_member</c> update once, so before the fix nothing ever
/// tried again and the intruder stayed inside. Since issue 14 the intruder is a recorded fact (R19): the failed removal is
/// due again when its lease runs out, and the channel worker's next cycle after that does it (on any replica).
/// </summary>
public sealed class IntruderRemovalRegressionTests
{
    private const long Vip = TelegramTestHost.VipChatId;
    private const long Member = FaultScenarios.Member;
    private const long Stranger = FaultScenarios.Stranger;

    [Theory]
    [InlineData(TestStore.InMemory)]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task Issue10_Transport4_an_intruder_whose_removal_failed_is_removed_by_the_next_channel_cycle(TestStore store)
    {
        await using var host = new TelegramTestHost(storeKind: store);
        host.Api.TrackMembership = true;
        host.Api.SetChatMember(Stranger, "member");
        host.Api.FailNext("banChatMember", 500, "Internal Server Error");

        Assert.True(await host.HandleAsync(TelegramUpdates.MemberJoined(Vip, Stranger)));
        Assert.Equal("member", host.Api.ChatMemberStatus(Stranger));

        // Within the lease of the failed attempt nobody tries again; after it, the next cycle removes them.
        Assert.Equal(VipEntryChannelCycleReport.Empty, await host.RunChannelCycleAsync());
        Assert.Single(host.Api.Calls("banChatMember"));
        host.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        Assert.Equal(VipEntryChannelCycleReport.Empty with { Removed = 1 }, await host.RunChannelCycleAsync());

        Assert.Equal("left", host.Api.ChatMemberStatus(Stranger));
        Assert.True(host.Api.Succeeded("unbanChatMember")[^1].Bool("only_if_banned"));
        var calls = host.Api.Calls().Count(c => c.Method is "banChatMember" or "unbanChatMember");

        // Done is done: later cycles leave them alone.
        host.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(VipEntryChannelCycleReport.Empty, await host.RunChannelCycleAsync());
        Assert.Equal(calls, host.Api.Calls().Count(c => c.Method is "banChatMember" or "unbanChatMember"));
    }

    [Fact]
    public async Task Issue10_Transport4_an_intruder_who_completes_the_ritual_before_the_retry_is_left_inside()
    {
        await using var host = new TelegramTestHost();
        host.Api.TrackMembership = true;
        await FaultScenarios.ActivateAsync(host);                  // at stage 1: not entitled yet, but paying
        host.Api.SetChatMember(Member, "member");
        host.Api.FailNext("unbanChatMember", 500, "Internal Server Error");   // removal without a ban (issue 14): they pay
        await host.HandleAsync(TelegramUpdates.MemberJoined(Vip, Member));
        Assert.Empty(host.Api.Calls("banChatMember"));
        Assert.Equal("member", host.Api.ChatMemberStatus(Member));

        await FaultScenarios.PressAsync(host);
        await FaultScenarios.PressAsync(host);
        await FaultScenarios.JoinAsync(host, Assert.Single(FaultScenarios.Last(host).Urls));
        Assert.True((await host.StatusAsync(Member)).IsEntitled);
        var calls = host.Api.Calls("unbanChatMember").Count;

        host.Time.Advance(TimeSpan.FromMinutes(11));   // the failed removal's lease has run out
        await host.RunChannelCycleAsync();

        Assert.Equal(calls, host.Api.Calls("unbanChatMember").Count);
        Assert.Empty(host.Api.Calls("banChatMember"));
        Assert.Equal("member", host.Api.ChatMemberStatus(Member));
    }
}
