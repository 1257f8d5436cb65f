using VipEntry.Core.Messages;
using VipEntry.Core.Stages;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests;

public sealed class ChatMemberTests
{
    private const long Vip = TelegramTestHost.VipChatId;

    [Fact]
    public async Task R19_AMemberMidRitualWhoJoinedByOtherMeans_IsRemoved_WithOneUnbanThatNeverBans()
    {
        // Issue 14 (R19): someone not entitled who joined is removed whatever their stage; one who pays (here mid-ritual)
        // is removed without a ban, so nothing can lock a payer out (before: ban, then unban only if banned).
        await using var host = new TelegramTestHost();
        await host.WalkToStage3Async(7301);   // mid-ritual: not entitled yet

        var handled = await host.HandleAsync(TelegramUpdates.MemberJoined(Vip, 7301));

        Assert.True(handled);
        Assert.Empty(host.Api.Calls("banChatMember"));
        var unban = Assert.Single(host.Api.Calls("unbanChatMember"));
        Assert.Equal(Vip, unban.Number("chat_id"));
        Assert.Equal(7301, unban.Number("user_id"));
        Assert.NotEqual(true, unban.Bool("only_if_banned"));
        Assert.Equal(VipEntryStage.AccessDelivery, (await host.StatusAsync(7301)).Stage);
    }

    [Fact]
    public async Task R17_SomeoneWhoJoinedWithoutPaying_IsRemoved_BanThenUnbanOnlyIfBanned()
    {
        await using var host = new TelegramTestHost();
        await host.WalkToStage3Async(7309);
        await host.LapseAsync(7309);   // not paying any more

        var handled = await host.HandleAsync(TelegramUpdates.MemberJoined(Vip, 7309));

        Assert.True(handled);
        var ban = Assert.Single(host.Api.Calls("banChatMember"));
        var unban = Assert.Single(host.Api.Calls("unbanChatMember"));
        Assert.Equal(Vip, ban.Number("chat_id"));
        Assert.Equal(7309, ban.Number("user_id"));
        Assert.Equal(7309, unban.Number("user_id"));
        Assert.True(unban.Bool("only_if_banned"));
        Assert.True(ban.Sequence < unban.Sequence);
    }

    [Fact]
    public async Task R17_AStrangerWhoJoined_IsRemoved()
    {
        await using var host = new TelegramTestHost();

        await host.HandleAsync(TelegramUpdates.MemberChanged(Vip, 7302, "kicked", "member"));

        Assert.Single(host.Api.Calls("banChatMember"));
        Assert.Single(host.Api.Calls("unbanChatMember"));
    }

    [Fact]
    public async Task R17_AnEntitledMemberWhoJoined_IsNotRemoved()
    {
        await using var host = new TelegramTestHost();
        await host.CompleteAsync(7303);
        var before = host.Api.LastSequence;

        var handled = await host.HandleAsync(TelegramUpdates.MemberJoined(Vip, 7303));

        Assert.True(handled);
        Assert.Equal(before, host.Api.LastSequence);
    }

    [Fact]
    public async Task R17_ALapsedMemberWhoJoined_IsRemoved()
    {
        await using var host = new TelegramTestHost();
        await host.CompleteAsync(7304);
        await host.LapseAsync(7304);

        await host.HandleAsync(TelegramUpdates.MemberJoined(Vip, 7304));

        Assert.Single(host.Api.Calls("banChatMember"));
    }

    [Theory]
    [InlineData(FakeBotApiServer.BotId, "member", false)]
    [InlineData(7305, "administrator", false)]
    [InlineData(7306, "creator", false)]
    [InlineData(7307, "member", true)]
    public async Task R17_TheBotItself_OtherBots_AndAdministrators_AreLeftAlone(long userId, string newStatus, bool isBot)
    {
        await using var host = new TelegramTestHost();

        var handled = await host.HandleAsync(TelegramUpdates.MemberChanged(Vip, userId, "left", newStatus, isBot));

        Assert.True(handled);
        Assert.Empty(host.Api.Calls("banChatMember"));
    }

    [Fact]
    public async Task R16_ACompletedMemberWhoLeaves_IsSentNothing_AndIsOfferedReentryTheNextTimeTheySeeTheirStep()
    {
        await using var host = new TelegramTestHost();
        await host.CompleteAsync(7308);
        host.Api.SetChatMember(7308, "member");
        await host.TelegramAsync(t => t.ShowStepAsync(7308));
        var inside = host.Api.Calls("sendMessage")[^1];
        Assert.Empty(inside.Buttons);

        var before = host.Api.LastSequence;
        var handled = await host.HandleAsync(TelegramUpdates.MemberChanged(Vip, 7308, "member", "left"));
        Assert.True(handled);
        Assert.Equal(before, host.Api.LastSequence);

        host.Api.SetChatMember(7308, "left");
        await host.TelegramAsync(t => t.ShowStepAsync(7308));
        Assert.Equal([VipEntryCallbackData.EncodeRequestReentry()], host.Api.Calls("sendMessage")[^1].CallbackData);
    }

    [Fact]
    public async Task ChatMemberUpdatesOfAnotherChat_AreLeftToTheHost()
    {
        await using var host = new TelegramTestHost();

        var handled = await host.HandleAsync(TelegramUpdates.MemberJoined(-100999, 7309));

        Assert.False(handled);
        Assert.Empty(host.Api.Calls());
    }

    [Fact]
    public async Task UpdatesThatAreNotTheRituals_AreLeftToTheHost()
    {
        await using var host = new TelegramTestHost();
        await host.EnrolAsync(7310);

        Assert.False(await host.HandleAsync(TelegramUpdates.PrivateText(7310, "/start")));
        Assert.False(await host.HandleAsync(TelegramUpdates.FromTheFuture()));
        Assert.Empty(host.Api.Calls());
    }
}
