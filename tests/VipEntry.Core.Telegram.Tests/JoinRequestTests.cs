using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests;

public sealed class JoinRequestTests
{
    private const long Vip = TelegramTestHost.VipChatId;

    [Fact]
    public async Task R6_TheOwnersJoinRequest_IsApproved_ThenTheLinkIsRevoked_AndTheRitualCompletes()
    {
        await using var host = new TelegramTestHost();
        var link = await host.WalkToStage3Async(7201);

        var handled = await host.HandleAsync(TelegramUpdates.JoinRequest(Vip, 7201, link));

        Assert.True(handled);
        var approve = Assert.Single(host.Api.Calls("approveChatJoinRequest"));
        var revoke = Assert.Single(host.Api.Calls("revokeChatInviteLink"));
        Assert.Equal(Vip, approve.Number("chat_id"));
        Assert.Equal(7201, approve.Number("user_id"));
        Assert.Equal(link, revoke.Text("invite_link"));
        Assert.True(approve.Sequence < revoke.Sequence, host.Api.Describe());
        Assert.Empty(host.Api.Calls("declineChatJoinRequest"));
        var welcome = Assert.Single(host.Api.Calls("sendMessage"));
        Assert.Equal(7201, welcome.Number("chat_id"));
        Assert.Equal(VipEntryStage.Completed, (await host.StatusAsync(7201)).Stage);
    }

    [Fact]
    public async Task R6_AForwardedLink_IsDeclined_TheOtherPersonIsToldWhy_AndTheGrantStaysValidForTheOwner()
    {
        await using var host = new TelegramTestHost();
        var link = await host.WalkToStage3Async(7202);

        await host.HandleAsync(TelegramUpdates.JoinRequest(Vip, 7299, link, languageCode: "es"));

        var decline = Assert.Single(host.Api.Calls("declineChatJoinRequest"));
        Assert.Equal(7299, decline.Number("user_id"));
        Assert.Empty(host.Api.Calls("approveChatJoinRequest"));
        Assert.Empty(host.Api.Calls("revokeChatInviteLink"));
        var told = Assert.Single(host.Api.Calls("sendMessage"));
        Assert.Equal(7299, told.Number("chat_id"));
        Assert.StartsWith("Este enlace de acceso pertenece a otro miembro", told.Text("text"), StringComparison.Ordinal);
        var owner = await host.StatusAsync(7202);
        Assert.Equal(VipEntryStage.AccessDelivery, owner.Stage);
        Assert.True(owner.HasLiveGrant);

        await host.HandleAsync(TelegramUpdates.JoinRequest(Vip, 7202, link));

        Assert.Equal(7202, Assert.Single(host.Api.Calls("approveChatJoinRequest")).Number("user_id"));
        Assert.Equal(VipEntryStage.Completed, (await host.StatusAsync(7202)).Stage);
    }

    [Fact]
    public async Task R6_ACompletedMember_WithSomeoneElsesLink_IsDeclined()
    {
        await using var host = new TelegramTestHost();
        await host.CompleteAsync(7203);
        var someoneElses = await host.WalkToStage3Async(7204);

        await host.HandleAsync(TelegramUpdates.JoinRequest(Vip, 7203, someoneElses));

        Assert.Equal(7203, Assert.Single(host.Api.Calls("declineChatJoinRequest")).Number("user_id"));
        Assert.Empty(host.Api.Calls("approveChatJoinRequest"));
        Assert.StartsWith("This access link belongs to another member", Assert.Single(host.Api.Calls("sendMessage")).Text("text"), StringComparison.Ordinal);
        Assert.True((await host.StatusAsync(7204)).HasLiveGrant);
    }

    [Fact]
    public async Task R16_ACompletedMembersReentryLink_IsReadmitted_Approved_AndRevoked()
    {
        await using var host = new TelegramTestHost();
        await host.CompleteAsync(7205);
        var reentry = await host.EngineAsync(e => e.RequestReentryAsync(7205));
        var link = reentry.Access!.Link;
        var before = host.Api.LastSequence;   // the stage-3 link was revoked when the member joined

        await host.HandleAsync(TelegramUpdates.JoinRequest(Vip, 7205, link));

        var approve = Assert.Single(host.Api.Calls("approveChatJoinRequest"));
        var revoke = Assert.Single(host.Api.Calls("revokeChatInviteLink"), c => c.Sequence > before);
        Assert.Equal(link, revoke.Text("invite_link"));
        Assert.True(approve.Sequence < revoke.Sequence);
        var status = await host.StatusAsync(7205);
        Assert.Equal(VipEntryStage.Completed, status.Stage);
        Assert.False(status.HasLiveGrant);
    }

    [Fact]
    public async Task R6_WhenTheApprovalFails_TheLinkIsKept_AndReentryIsOffered()
    {
        await using var host = new TelegramTestHost();
        var link = await host.WalkToStage3Async(7206);
        host.Api.FailNext("approveChatJoinRequest", 400, "Bad Request: HIDE_REQUESTER_MISSING");

        await host.HandleAsync(TelegramUpdates.JoinRequest(Vip, 7206, link));

        Assert.Single(host.Api.Calls("approveChatJoinRequest"));
        Assert.Empty(host.Api.Calls("revokeChatInviteLink"));
        var offer = Assert.Single(host.Api.Calls("sendMessage"));
        Assert.Equal([VipEntryCallbackData.EncodeRequestReentry()], offer.CallbackData);
        Assert.Empty(host.Api.Calls("getChatMember"));
    }

    [Fact]
    public async Task R6_AnExpiredLink_IsDeclined_AndTheOwnerIsOfferedANewOne()
    {
        await using var host = new TelegramTestHost();
        var link = await host.WalkToStage3Async(7207);
        host.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));

        await host.HandleAsync(TelegramUpdates.JoinRequest(Vip, 7207, link));

        Assert.Single(host.Api.Calls("declineChatJoinRequest"));
        var told = Assert.Single(host.Api.Calls("sendMessage"));
        Assert.StartsWith("Your access link has expired", told.Text("text"), StringComparison.Ordinal);
        Assert.Equal([VipEntryCallbackData.EncodeRequestNewLink()], told.CallbackData);
    }

    [Fact]
    public async Task R8_AfterTheSubscriptionEnded_TheJoinRequestIsDeclined_WithTheSubscriptionExpiredNotice()
    {
        await using var host = new TelegramTestHost();
        var link = await host.WalkToStage3Async(7208);
        await host.EngineAsync(e => e.EndSubscriptionAsync(7208));
        host.Time.Advance(TimeSpan.FromSeconds(1));

        await host.HandleAsync(TelegramUpdates.JoinRequest(Vip, 7208, link));

        Assert.Single(host.Api.Calls("declineChatJoinRequest"));
        Assert.StartsWith("Your VIP subscription has ended", Assert.Single(host.Api.Calls("sendMessage")).Text("text"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://t.me/+SOMEONE_ELSES_LINK")]
    [InlineData(null)]
    public async Task R11_AnUnknownOrMissingLink_IsDeclined_WithTheInvalidLinkNotice(string? link)
    {
        await using var host = new TelegramTestHost();
        await host.EnrolAsync(7209);

        await host.HandleAsync(TelegramUpdates.JoinRequest(Vip, 7209, link));

        Assert.Single(host.Api.Calls("declineChatJoinRequest"));
        Assert.Equal("This link or code is not valid.", Assert.Single(host.Api.Calls("sendMessage")).Text("text"));
    }

    [Fact]
    public async Task R6_APersonWhoBlockedTheBot_IsStillDeclined_And403IsIgnored()
    {
        await using var host = new TelegramTestHost();
        var link = await host.WalkToStage3Async(7210);
        host.Api.FailNext("sendMessage", 403, "Forbidden: bot was blocked by the user");

        var handled = await host.HandleAsync(TelegramUpdates.JoinRequest(Vip, 7298, link));

        Assert.True(handled);
        Assert.Single(host.Api.Calls("declineChatJoinRequest"));
        Assert.True((await host.StatusAsync(7210)).HasLiveGrant);
    }

    [Fact]
    public async Task JoinRequestsOfAnotherChat_AreLeftToTheHost()
    {
        await using var host = new TelegramTestHost();
        var link = await host.WalkToStage3Async(7211);
        var before = host.Api.LastSequence;

        var handled = await host.HandleAsync(TelegramUpdates.JoinRequest(-100999, 7211, link));

        Assert.False(handled);
        Assert.Equal(before, host.Api.LastSequence);
        Assert.Equal(VipEntryStage.AccessDelivery, (await host.StatusAsync(7211)).Stage);
    }

    [Fact]
    public async Task R6_ASecondRequestWithTheSpentLink_IsDeclined_AndReentryIsOffered()
    {
        await using var host = new TelegramTestHost();
        var link = await host.WalkToStage3Async(7212);
        await host.HandleAsync(TelegramUpdates.JoinRequest(Vip, 7212, link));

        await host.HandleAsync(TelegramUpdates.JoinRequest(Vip, 7212, link));

        Assert.Single(host.Api.Calls("approveChatJoinRequest"));
        Assert.Single(host.Api.Calls("declineChatJoinRequest"));
        Assert.Equal([VipEntryCallbackData.EncodeRequestReentry()], host.Api.Calls("sendMessage")[^1].CallbackData);
        Assert.Equal(VipEntryOutcome.AlreadyCompleted, (await host.EngineAsync(e => e.RedeemLinkAsync(7212, link))).Outcome);
    }
}
