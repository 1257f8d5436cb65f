using VipEntry.Core.Results;
using VipEntry.Core.Telegram.Links;
using VipEntry.Core.Telegram.Tests.Support;

namespace VipEntry.Core.Telegram.Tests;

public sealed class LinkIssuerTests
{
    [Fact]
    public async Task R5_StageThree_CreatesAJoinRequestLink_ExpiringWithTheGrant_NamedForTheMember()
    {
        await using var host = new TelegramTestHost();
        const long member = 7001;

        var link = await host.WalkToStage3Async(member);

        var call = Assert.Single(host.Api.Calls("createChatInviteLink"));
        var status = await host.StatusAsync(member);
        Assert.Equal(TelegramTestHost.VipChatId, call.Number("chat_id"));
        Assert.True(call.Bool("creates_join_request"));
        Assert.Equal(status.GrantExpiresAt!.Value.ToUnixTimeSeconds(), call.Number("expire_date"));
        Assert.Equal(TelegramTestHost.Start.AddHours(24).ToUnixTimeSeconds(), call.Number("expire_date"));
        Assert.Equal("VipEntry 7001", call.Text("name"));
        Assert.False(call.Has("member_limit"));

        // Recorded before it is sent: the engine can show it again and match the join request to its owner (R6).
        Assert.True(status.HasRecordedLink);
        Assert.StartsWith("https://t.me/+FAKEINVITE", link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R5_ShowingStageThreeAgain_ShowsTheSameLink_WithoutCreatingAnother()
    {
        await using var host = new TelegramTestHost();
        var link = await host.WalkToStage3Async(7002);

        var again = await host.EngineAsync(e => e.GetStepAsync(7002));

        Assert.Equal(VipEntryOutcome.AccessShown, again.Result.Outcome);
        Assert.Equal(link, again.Result.Access!.Link);
        Assert.Single(host.Api.Calls("createChatInviteLink"));
    }

    [Fact]
    public void R5_LinkName_FitsTelegramsLimit_ForTheLongestId()
    {
        var name = TelegramLinkIssuer.LinkName("VipEntry1234", long.MinValue);

        Assert.True(name.Length <= TelegramLinkIssuer.MaxNameLength, name);
        Assert.StartsWith("VipEntry1234 -", name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R13_ApiError_IsAFailedIssue_TheGrantIsWithdrawn_AndTheMemberCanAskAgain()
    {
        await using var host = new TelegramTestHost();
        const long member = 7003;
        host.Api.FailNext("createChatInviteLink", 400, "Bad Request: not enough rights to manage chat invite links");

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.WalkToStage3Async(member));
        var failed = await host.EngineAsync(e => e.GetStatusAsync(member));
        Assert.False(failed.HasLiveGrant);

        var retry = await host.EngineAsync(e => e.GetStepAsync(member));
        Assert.Equal(VipEntryOutcome.AccessIssued, retry.Result.Outcome);
        Assert.Equal(2, host.Api.Calls("createChatInviteLink").Count);
    }

    [Fact]
    public async Task R13_NetworkDrop_IsAFailedIssue_NotAnException()
    {
        await using var host = new TelegramTestHost();
        const long member = 7004;
        host.Api.DropNext("createChatInviteLink", times: 2);
        await host.EnrolAsync(member);
        await host.EngineAsync(e => e.AdvanceAsync(member, Stages.VipEntryStage.ActivationConfirmation));
        await host.EngineAsync(e => e.AdvanceAsync(member, Stages.VipEntryStage.ExpectationAlignment));

        var step = await host.EngineAsync(e => e.GetStepAsync(member));

        Assert.Equal(VipEntryOutcome.LinkIssuerFailed, step.Result.Outcome);
        Assert.Null(step.Result.Access);
    }
}
