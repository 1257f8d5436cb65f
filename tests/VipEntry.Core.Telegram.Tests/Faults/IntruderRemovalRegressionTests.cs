using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests.Faults;

/// <summary>
/// An intruder whose removal failed: Telegram sends a <c>chat_member</c> update once, so before the fix nothing ever
/// tried again and the intruder stayed inside.
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

        await host.RunChannelCycleAsync();

        Assert.Equal("left", host.Api.ChatMemberStatus(Stranger));
        var bans = host.Api.Succeeded("banChatMember").Count;

        // Done is done: later cycles leave them alone.
        await host.RunChannelCycleAsync();
        Assert.Equal(bans, host.Api.Succeeded("banChatMember").Count);
    }

    [Fact]
    public async Task Issue10_Transport4_an_intruder_who_completes_the_ritual_before_the_retry_is_left_inside()
    {
        await using var host = new TelegramTestHost();
        host.Api.TrackMembership = true;
        await FaultScenarios.ActivateAsync(host);                  // at stage 1: not entitled yet
        host.Api.SetChatMember(Member, "member");
        host.Api.FailNext("banChatMember", 500, "Internal Server Error");
        await host.HandleAsync(TelegramUpdates.MemberJoined(Vip, Member));

        await FaultScenarios.PressAsync(host);
        await FaultScenarios.PressAsync(host);
        await FaultScenarios.JoinAsync(host, Assert.Single(FaultScenarios.Last(host).Urls));
        Assert.True((await host.StatusAsync(Member)).IsEntitled);
        var calls = host.Api.Calls("banChatMember").Count;

        await host.RunChannelCycleAsync();

        Assert.Equal(calls, host.Api.Calls("banChatMember").Count);
        Assert.Equal("member", host.Api.ChatMemberStatus(Member));
    }
}
