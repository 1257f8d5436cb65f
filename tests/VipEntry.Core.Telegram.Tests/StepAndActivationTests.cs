using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests;

public sealed class StepAndActivationTests
{
    [Fact]
    public async Task R1_Activate_EnrolsAtStageOne_AndSendsTheStageOnePrompt_InTheMembersLanguage()
    {
        await using var host = new TelegramTestHost();
        var user = TelegramUpdates.PrivateText(7401, "/start", languageCode: "es").ToUpdate().Message!.From!;

        var result = await host.TelegramAsync(t => t.ActivateAsync(user, host.Time.GetUtcNow().AddDays(30), CancellationToken.None));

        Assert.Equal(VipEntryOutcome.Started, result.Outcome);
        var prompt = Assert.Single(host.Api.Calls("sendMessage"));
        Assert.Equal(7401, prompt.Number("chat_id"));
        Assert.StartsWith("Tu suscripción VIP está activa", prompt.Text("text"), StringComparison.Ordinal);
        Assert.Equal([VipEntryCallbackData.EncodeAdvance(VipEntryStage.ActivationConfirmation)], prompt.CallbackData);
        Assert.Empty(host.Api.Calls("banChatMember"));
    }

    [Fact]
    public async Task R2_RenewalOfALapsedMemberStillInside_RemovesThem_WithOneUnbanThatNeverBans_AndRestartsAtStageOne()
    {
        await using var host = new TelegramTestHost();
        await host.CompleteAsync(7402, days: 1);
        host.Time.Advance(TimeSpan.FromDays(2));   // ended; no sweep has taken the lapse in hand

        var result = await host.TelegramAsync(t => t.ActivateAsync(7402, host.Time.GetUtcNow().AddDays(30)));

        Assert.Equal(VipEntryOutcome.Restarted, result.Outcome);
        Assert.True(result.RemoveFromChannel);
        // Issue 10: a paying member is never banned (a ban whose unban failed would lock them out); unban without
        // only_if_banned removes whoever is inside.
        Assert.Empty(host.Api.Calls("banChatMember"));
        var unban = Assert.Single(host.Api.Calls("unbanChatMember"));
        Assert.NotEqual(true, unban.Bool("only_if_banned"));
        var prompt = Assert.Single(host.Api.Calls("sendMessage"));
        Assert.True(unban.Sequence < prompt.Sequence);
        Assert.Equal([VipEntryCallbackData.EncodeAdvance(VipEntryStage.ActivationConfirmation)], prompt.CallbackData);
    }

    [Fact]
    public async Task R2_RenewalMidRitual_RevokesTheLiveLink_AndRestartsAtStageOne()
    {
        await using var host = new TelegramTestHost();
        var link = await host.WalkToStage3Async(7403);

        var result = await host.TelegramAsync(t => t.ActivateAsync(7403, host.Time.GetUtcNow().AddDays(60)));

        Assert.Equal(VipEntryOutcome.Restarted, result.Outcome);
        Assert.Equal(link, Assert.Single(host.Api.Calls("revokeChatInviteLink")).Text("invite_link"));
        Assert.Empty(host.Api.Calls("banChatMember"));
    }

    [Fact]
    public async Task R8_ActivationWithAnEndInThePast_SendsNothing()
    {
        await using var host = new TelegramTestHost();

        var result = await host.TelegramAsync(t => t.ActivateAsync(7404, host.Time.GetUtcNow().AddDays(-1)));

        Assert.Equal(VipEntryOutcome.SubscriptionExpired, result.Outcome);
        Assert.Empty(host.Api.Calls());
    }

    [Fact]
    public async Task R9_ShowStep_SendsTheCurrentPrompt_ToTheMembersPrivateChat()
    {
        await using var host = new TelegramTestHost();
        await host.EnrolAsync(7405);
        await host.EngineAsync(e => e.AdvanceAsync(7405, VipEntryStage.ActivationConfirmation));
        var user = TelegramUpdates.PrivateText(7405, "/start", languageCode: "en").ToUpdate().Message!.From!;

        var step = await host.TelegramAsync(t => t.ShowStepAsync(user, CancellationToken.None));

        Assert.Equal(VipEntryStage.ExpectationAlignment, step.Result.Stage);
        var prompt = Assert.Single(host.Api.Calls("sendMessage"));
        Assert.Equal(7405, prompt.Number("chat_id"));
        Assert.Equal("I agree", Assert.Single(prompt.Buttons)["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task R9_ShowStep_OfSomeoneNotEnrolled_SendsTheNotEnrolledNotice()
    {
        await using var host = new TelegramTestHost();

        var step = await host.TelegramAsync(t => t.ShowStepAsync(7406));

        Assert.Equal(VipEntryOutcome.NotEnrolled, step.Result.Outcome);
        var notice = Assert.Single(host.Api.Calls("sendMessage"));
        Assert.Equal("There is no active VIP subscription for this account.", notice.Text("text"));
        Assert.Empty(notice.Buttons);
    }

    [Theory]
    [InlineData("member", false)]
    [InlineData("administrator", false)]
    [InlineData("creator", false)]
    [InlineData("restricted", false)]
    [InlineData("left", true)]
    [InlineData("kicked", true)]
    public async Task R16_TheCompletedNotice_ShowsTheReentryButton_OnlyWhenTheMemberIsNotInside(string status, bool shown)
    {
        await using var host = new TelegramTestHost();
        await host.CompleteAsync(7407);
        host.Api.SetChatMember(7407, status);

        await host.TelegramAsync(t => t.ShowStepAsync(7407));

        var ask = Assert.Single(host.Api.Calls("getChatMember"));
        Assert.Equal(TelegramTestHost.VipChatId, ask.Number("chat_id"));
        Assert.Equal(7407, ask.Number("user_id"));
        var notice = Assert.Single(host.Api.Calls("sendMessage"));
        Assert.Equal(shown ? [VipEntryCallbackData.EncodeRequestReentry()] : [], notice.CallbackData);
    }

    [Fact]
    public async Task R16_TheCompletedNotice_ShowsTheReentryButton_WhenGetChatMemberFails()
    {
        await using var host = new TelegramTestHost();
        await host.CompleteAsync(7408);
        host.Api.SetChatMember(7408, "member");
        host.Api.FailNext("getChatMember", 400, "Bad Request: user not found");

        await host.TelegramAsync(t => t.ShowStepAsync(7408));

        Assert.Equal([VipEntryCallbackData.EncodeRequestReentry()], Assert.Single(host.Api.Calls("sendMessage")).CallbackData);
    }
}
