using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests;

public sealed class CallbackTests
{
    [Fact]
    public async Task R14_GarbageVipEntryData_IsStillTheRitualsAndAnswered_WithNothingSent()
    {
        await using var host = new TelegramTestHost();
        await host.EnrolAsync(7101);

        var handled = await host.HandleAsync(TelegramUpdates.Callback(7101, "vipe:9:zz", "q-garbage", messageId: 5));

        Assert.True(handled);
        var answer = Assert.Single(host.Api.Calls("answerCallbackQuery"));
        Assert.Equal("q-garbage", answer.Text("callback_query_id"));
        Assert.Empty(host.Api.Calls("sendMessage"));
        Assert.Empty(host.Api.Calls("editMessageReplyMarkup"));
    }

    [Theory]
    [InlineData("host:menu")]
    [InlineData("vip:1:1")]
    [InlineData(null)]
    public async Task R14_CallbackDataThatIsNotVipEntrys_IsLeftToTheHost_Unanswered(string? data)
    {
        await using var host = new TelegramTestHost();

        var handled = await host.HandleAsync(TelegramUpdates.Callback(7102, data, "q-host", messageId: 5));

        Assert.False(handled);
        Assert.Empty(host.Api.Calls());
    }

    [Fact]
    public async Task R3_Press_SendsTheNextPrompt_ThenThePressedPromptLosesItsButtons()
    {
        await using var host = new TelegramTestHost();
        await host.EnrolAsync(7103);

        var handled = await host.HandleAsync(TelegramUpdates.Callback(7103, VipEntryCallbackData.EncodeAdvance(VipEntryStage.ActivationConfirmation), "q-1", messageId: 41));

        Assert.True(handled);
        Assert.Equal(VipEntryStage.ExpectationAlignment, (await host.StatusAsync(7103)).Stage);
        var answer = Assert.Single(host.Api.Calls("answerCallbackQuery"));
        var prompt = Assert.Single(host.Api.Calls("sendMessage"));
        var edit = Assert.Single(host.Api.Calls("editMessageReplyMarkup"));
        Assert.Equal(7103, prompt.Number("chat_id"));
        Assert.Equal([VipEntryCallbackData.EncodeAdvance(VipEntryStage.ExpectationAlignment)], prompt.CallbackData);
        Assert.Equal(7103, edit.Number("chat_id"));
        Assert.Equal(41, edit.Number("message_id"));
        Assert.False(edit.Has("reply_markup"));
        Assert.True(answer.Sequence < prompt.Sequence && prompt.Sequence < edit.Sequence, host.Api.Describe());
    }

    [Fact]
    public async Task R5_StageTwoPress_DeliversTheLinkAsAUrlButton()
    {
        await using var host = new TelegramTestHost();
        await host.EnrolAsync(7104);
        await host.EngineAsync(e => e.AdvanceAsync(7104, VipEntryStage.ActivationConfirmation));

        await host.HandleAsync(TelegramUpdates.Callback(7104, VipEntryCallbackData.EncodeAdvance(VipEntryStage.ExpectationAlignment), "q-2", messageId: 42));

        var link = Assert.Single(host.Api.Succeeded("createChatInviteLink"));
        var prompt = Assert.Single(host.Api.Calls("sendMessage"));
        var url = Assert.Single(prompt.Urls);
        Assert.StartsWith("https://t.me/+FAKEINVITE", url, StringComparison.Ordinal);
        Assert.Empty(prompt.CallbackData);
        Assert.True(link.Sequence < prompt.Sequence);
    }

    [Theory]
    [InlineData("es", null, "Acepto")]
    [InlineData("en", null, "I agree")]
    [InlineData("es-MX", null, "Acepto")]
    [InlineData("de", "es", "Acepto")]
    [InlineData(null, "es", "Acepto")]
    [InlineData("not a language", "en", "I agree")]
    public async Task R14_TheMembersLanguageCode_PicksTheCulture_ElseTheDefault(string? languageCode, string? defaultCulture, string expectedButton)
    {
        await using var host = new TelegramTestHost(vipEntry: o => o.DefaultCulture = defaultCulture ?? o.DefaultCulture);
        await host.EnrolAsync(7105);

        await host.HandleAsync(TelegramUpdates.Callback(7105, VipEntryCallbackData.EncodeAdvance(VipEntryStage.ActivationConfirmation), "q-lang", messageId: 43, languageCode: languageCode));

        var prompt = Assert.Single(host.Api.Calls("sendMessage"));
        var button = Assert.Single(prompt.Buttons);
        Assert.Equal(expectedButton, button["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task R14_CallbackIsAnswered_EvenWhenTheNextPromptCannotBeSent_AndThePressedPromptKeepsItsButtons()
    {
        await using var host = new TelegramTestHost();
        await host.EnrolAsync(7106);
        host.Api.FailNext("sendMessage", 500, "Internal Server Error");

        var handled = await host.HandleAsync(TelegramUpdates.Callback(7106, VipEntryCallbackData.EncodeAdvance(VipEntryStage.ActivationConfirmation), "q-fail", messageId: 44));

        Assert.True(handled);
        Assert.Single(host.Api.Calls("answerCallbackQuery"));
        Assert.Empty(host.Api.Calls("editMessageReplyMarkup"));
    }

    [Fact]
    public async Task R14_AnAnswerThatFails_DoesNotStopThePress()
    {
        await using var host = new TelegramTestHost();
        await host.EnrolAsync(7107);
        host.Api.FailNext("answerCallbackQuery", 400, "Bad Request: query is too old and response timeout expired or query ID is invalid");

        await host.HandleAsync(TelegramUpdates.Callback(7107, VipEntryCallbackData.EncodeAdvance(VipEntryStage.ActivationConfirmation), "q-old", messageId: 45));

        Assert.Equal(VipEntryStage.ExpectationAlignment, (await host.StatusAsync(7107)).Stage);
        Assert.Single(host.Api.Calls("sendMessage"));
    }

    [Fact]
    public async Task Issue15_ADoubleTapAtStage1_AdvancesOnce_AndSendsTheStage2PromptOnce_BothPressesAnswered()
    {
        await using var host = new TelegramTestHost();
        await host.EnrolAsync(7108);
        var advance = VipEntryCallbackData.EncodeAdvance(VipEntryStage.ActivationConfirmation);

        await host.HandleAsync(TelegramUpdates.Callback(7108, advance, "q-a", messageId: 46));
        await host.HandleAsync(TelegramUpdates.Callback(7108, advance, "q-b", messageId: 46));

        Assert.Equal(VipEntryStage.ExpectationAlignment, (await host.StatusAsync(7108)).Stage);
        Assert.Equal(["q-a", "q-b"], host.Api.Calls("answerCallbackQuery").Select(a => a.Text("callback_query_id")));
        var prompt = Assert.Single(host.Api.Calls("sendMessage"));
        Assert.Equal([VipEntryCallbackData.EncodeAdvance(VipEntryStage.ExpectationAlignment)], prompt.CallbackData);

        // The replayed press only takes the pressed prompt's buttons away, in place.
        Assert.All(host.Api.Calls("editMessageReplyMarkup"), e => Assert.Equal(46, e.Number("message_id")));
    }

    [Fact]
    public async Task Issue15_ADoubleTapAtStage2_IssuesOneLink_AndSendsTheLinkMessageOnce()
    {
        await using var host = new TelegramTestHost();
        await host.EnrolAsync(7111);
        await host.EngineAsync(e => e.AdvanceAsync(7111, VipEntryStage.ActivationConfirmation));
        var advance = VipEntryCallbackData.EncodeAdvance(VipEntryStage.ExpectationAlignment);

        await host.HandleAsync(TelegramUpdates.Callback(7111, advance, "q-a", messageId: 49));
        await host.HandleAsync(TelegramUpdates.Callback(7111, advance, "q-b", messageId: 49));

        Assert.Equal(VipEntryStage.AccessDelivery, (await host.StatusAsync(7111)).Stage);
        Assert.Single(host.Api.Calls("createChatInviteLink"));
        var prompt = Assert.Single(host.Api.Calls("sendMessage"));
        Assert.StartsWith("https://t.me/+FAKEINVITE", Assert.Single(prompt.Urls), StringComparison.Ordinal);
        Assert.Equal(2, host.Api.Calls("answerCallbackQuery").Count);
    }

    [Fact]
    public async Task Issue15_AReplayedNewLinkPress_IsAnswered_AndSendsNothingNew()
    {
        // Stage 3, link expired: the first new-link press mints and sends a link; replayed, it would show that same live link.
        await using var host = new TelegramTestHost();
        await host.WalkToStage3Async(7112);
        host.Time.Advance(TimeSpan.FromHours(25));
        var data = VipEntryCallbackData.EncodeRequestNewLink();

        var before = host.Api.Calls("createChatInviteLink").Count;
        await host.HandleAsync(TelegramUpdates.Callback(7112, data, "q-first", messageId: 50));
        var sentByFirst = host.Api.Calls("sendMessage").Count;
        await host.HandleAsync(TelegramUpdates.Callback(7112, data, "q-replay", messageId: 50));

        Assert.Equal(before + 1, host.Api.Calls("createChatInviteLink").Count);
        Assert.Equal(1, sentByFirst);
        Assert.Equal(sentByFirst, host.Api.Calls("sendMessage").Count);
        Assert.Contains(host.Api.Calls("answerCallbackQuery"), a => a.Text("callback_query_id") == "q-replay");
    }

    [Fact]
    public async Task Issue15_AStalePressOfAnOlderPrompt_IsAnswered_SendsNothing_AndThatPromptLosesItsButtons()
    {
        await using var host = new TelegramTestHost();
        await host.EnrolAsync(7113);
        await host.EngineAsync(e => e.AdvanceAsync(7113, VipEntryStage.ActivationConfirmation));

        // An older copy of the stage-1 prompt (message 51) still had its button.
        await host.HandleAsync(TelegramUpdates.Callback(7113, VipEntryCallbackData.EncodeAdvance(VipEntryStage.ActivationConfirmation), "q-old", messageId: 51));

        Assert.Equal(VipEntryStage.ExpectationAlignment, (await host.StatusAsync(7113)).Stage);
        Assert.Equal("q-old", Assert.Single(host.Api.Calls("answerCallbackQuery")).Text("callback_query_id"));
        Assert.Empty(host.Api.Calls("sendMessage"));
        Assert.Equal(51, Assert.Single(host.Api.Calls("editMessageReplyMarkup")).Number("message_id"));
    }

    [Fact]
    public async Task R16_ReentryPress_OfACompletedMember_SendsANewJoinRequestLink()
    {
        await using var host = new TelegramTestHost();
        await host.CompleteAsync(7109);

        await host.HandleAsync(TelegramUpdates.Callback(7109, VipEntryCallbackData.EncodeRequestReentry(), "q-r", messageId: 47));

        var links = host.Api.Succeeded("createChatInviteLink");
        Assert.Equal(2, links.Count);
        Assert.True(links[1].Bool("creates_join_request"));
        var prompt = Assert.Single(host.Api.Calls("sendMessage"));
        Assert.Single(prompt.Urls);
        var status = await host.StatusAsync(7109);
        Assert.Equal(VipEntryStage.Completed, status.Stage);
        Assert.True(status.HasLiveGrant);
    }

    [Fact]
    public async Task Issue15_ADoubleTapOfTheReentryButton_MintsOneLink_AndSendsTheLinkMessageOnce()
    {
        await using var host = new TelegramTestHost();
        await host.CompleteAsync(7114);
        host.Time.Advance(TimeSpan.FromMinutes(6).Add(TimeSpan.FromTicks(3_456_789)));
        var reentry = VipEntryCallbackData.EncodeRequestReentry();

        await host.HandleAsync(TelegramUpdates.Callback(7114, reentry, "q-a", messageId: 52));
        await host.HandleAsync(TelegramUpdates.Callback(7114, reentry, "q-b", messageId: 52));

        Assert.Equal(2, host.Api.Succeeded("createChatInviteLink").Count);   // stage 3's link, then one re-entry link
        var prompt = Assert.Single(host.Api.Calls("sendMessage"));
        var link = Assert.Single(prompt.Urls);
        Assert.Equal(["q-a", "q-b"], host.Api.Calls("answerCallbackQuery").Select(a => a.Text("callback_query_id")));
        Assert.All(host.Api.Calls("editMessageReplyMarkup"), e => Assert.Equal(52, e.Number("message_id")));

        // Where a replayed press sends nothing, /start shows the live re-entry link again, as stage 3 shows its link.
        var step = await host.EngineAsync(e => e.GetStepAsync(7114));
        Assert.Equal(VipEntryOutcome.AccessShown, step.Result.Outcome);
        Assert.Equal(VipEntryStage.Completed, step.Result.Stage);
        Assert.Equal(link, step.Prompt.Button?.Payload);
    }

    [Fact]
    public async Task R7_NewLinkPress_RevokesTheReplacedLink()
    {
        await using var host = new TelegramTestHost();
        var old = await host.WalkToStage3Async(7110);
        host.Time.Advance(TimeSpan.FromHours(25));

        await host.HandleAsync(TelegramUpdates.Callback(7110, VipEntryCallbackData.EncodeRequestNewLink(), "q-n", messageId: 48));

        var revoke = Assert.Single(host.Api.Calls("revokeChatInviteLink"));
        Assert.Equal(old, revoke.Text("invite_link"));
        Assert.Equal(2, host.Api.Succeeded("createChatInviteLink").Count);
        Assert.Equal(VipEntryOutcome.AccessShown, (await host.EngineAsync(e => e.GetStepAsync(7110))).Result.Outcome);
    }
}
