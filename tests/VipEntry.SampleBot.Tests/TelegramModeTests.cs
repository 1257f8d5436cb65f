using VipEntry.Telegram.Testing;

namespace VipEntry.SampleBot.Tests;

/// <summary>The sample in Telegram mode, end to end: real host, real Telegram.Bot client, fake Bot API on loopback.</summary>
// One collection for every end-to-end test: each hosts a whole bot, and on a small shared machine they run one at a time.
[Collection("SampleBot")]
public sealed class TelegramModeTests : IAsyncLifetime
{
    private const long Member = 42;
    private const long Stranger = 77;

    private readonly TelegramBotHarness _bot = new();

    public async ValueTask InitializeAsync() => await _bot.StartAsync();

    public async ValueTask DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Full_ritual_from_newcode_to_approved_join()
    {
        var code = await _bot.NewCodeAsync();
        Assert.InRange(code.Length, 1, 64);

        var before = await _bot.SayAsync(Member, "/start " + code);
        var stage1 = await _bot.ReplyToAsync(Member, before, c => c.CallbackData.Count > 0);
        Assert.Equal(["vipe:1:1"], stage1.CallbackData);

        before = _bot.Api.LastSequence;
        await _bot.PressAsync(Member, "vipe:1:1");
        var stage2 = await _bot.ReplyToAsync(Member, before, c => c.CallbackData.Count > 0);
        Assert.Equal(["vipe:1:2"], stage2.CallbackData);

        before = _bot.Api.LastSequence;
        await _bot.PressAsync(Member, "vipe:1:2");
        var stage3 = await _bot.ReplyToAsync(Member, before, c => c.Urls.Count > 0);
        var invite = Assert.Single(_bot.Api.Calls("createChatInviteLink"));
        Assert.Equal(TelegramBotHarness.VipChatId, invite.Number("chat_id"));
        Assert.True(invite.Bool("creates_join_request"));
        Assert.False(string.IsNullOrWhiteSpace(invite.Text("name")));
        var link = Assert.Single(stage3.Urls);
        Assert.StartsWith("https://t.me/+FAKEINVITE", link, StringComparison.Ordinal);
        Assert.True(invite.Sequence < stage3.Sequence, "the link is created before it is sent");

        before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.JoinRequest(TelegramBotHarness.VipChatId, Member, link));
        var approve = await _bot.Api.WaitForCallAsync("approveChatJoinRequest", c => c.Number("user_id") == Member, afterSequence: before);
        Assert.Equal(TelegramBotHarness.VipChatId, approve.Number("chat_id"));
        var revoke = await _bot.Api.WaitForCallAsync("revokeChatInviteLink", c => c.Text("invite_link") == link, afterSequence: before);
        Assert.True(approve.Sequence < revoke.Sequence, "approve first, then revoke the used link");
        await _bot.ReplyToAsync(Member, before, c => c.Text("text")!.Contains("Welcome", StringComparison.Ordinal));
        Assert.Empty(_bot.Api.Calls("declineChatJoinRequest"));

        before = await _bot.SayAsync(Member, "/status");
        await _bot.ReplyToAsync(Member, before, c => c.Text("text")!.Contains("completed", StringComparison.Ordinal));

        before = await _bot.SayAsync(TelegramBotHarness.AdminId, "/funnel");
        var funnel = await _bot.ReplyToAsync(TelegramBotHarness.AdminId, before);
        Assert.Matches(@"completed\s+█+ 1", funnel.Text("text"));

        // chat_member updates are not sent unless asked for.
        var polls = _bot.Api.Calls("getUpdates");
        var poll = polls[^1];
        var allowed = poll.Body["allowed_updates"]!.AsArray().Select(n => n!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "message", "callback_query", "chat_join_request", "chat_member" }, allowed);
    }

    [Fact]
    public async Task R14_A_member_whose_Telegram_language_is_Spanish_walks_the_ritual_in_Spanish()
    {
        var code = await _bot.NewCodeAsync();
        var start = TelegramUpdates.PrivateText(Member, "/start " + code);
        start["message"]!["from"]!["language_code"] = "es";

        var before = _bot.Api.LastSequence;
        await _bot.SendAsync(start);
        var stage1 = await _bot.ReplyToAsync(Member, before, c => c.CallbackData.Count > 0);

        Assert.Contains("Tu suscripción VIP está activa", stage1.Text("text"), StringComparison.Ordinal);
        Assert.Contains("Continuar", stage1.Body.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);

        // An English speaker still gets English: the language is per member, not per bot.
        var other = await _bot.NewCodeAsync();
        before = await _bot.SayAsync(Stranger, "/start " + other);
        var english = await _bot.ReplyToAsync(Stranger, before, c => c.CallbackData.Count > 0);
        Assert.Contains("Your VIP subscription is active", english.Text("text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pressed_stage_prompt_loses_its_buttons_once_the_next_prompt_is_sent()
    {
        await _bot.ActivateAsync(Member);

        var before = _bot.Api.LastSequence;
        await _bot.PressAsync(Member, "vipe:1:1", messageId: 501);
        var stage2 = await _bot.ReplyToAsync(Member, before, c => c.CallbackData.Count > 0);
        var edit = await _bot.Api.WaitForCallAsync("editMessageReplyMarkup", c => c.Number("message_id") == 501, TelegramBotHarness.Timeout, before);

        Assert.Equal(Member, edit.Number("chat_id"));
        Assert.True(stage2.Sequence < edit.Sequence, "the next prompt is sent before the old buttons go");
        Assert.Null(edit.Body["reply_markup"]?["inline_keyboard"]?.AsArray().FirstOrDefault());

        // Garbage data answers with a toast only: nothing to replace, so the message keeps its buttons.
        before = _bot.Api.LastSequence;
        await _bot.PressAsync(Member, "garbage", messageId: 502);
        Assert.DoesNotContain(_bot.Api.Calls("editMessageReplyMarkup"), c => c.Number("message_id") == 502);
    }

    [Fact]
    public async Task Invite_link_expires_with_the_grant_24_hours_from_now()
    {
        await _bot.ReachLinkAsync(Member);
        var invite = Assert.Single(_bot.Api.Calls("createChatInviteLink"));
        var expires = DateTimeOffset.FromUnixTimeSeconds(invite.Number("expire_date")!.Value);
        var expected = DateTimeOffset.UtcNow.AddHours(24);
        Assert.InRange(expires, expected.AddMinutes(-1), expected.AddMinutes(1));
    }

    [Fact]
    public async Task Double_taps_and_replayed_callbacks_never_advance_twice_nor_mint_a_second_link_and_show_each_prompt_once()
    {
        await _bot.ActivateAsync(Member);

        // Two taps on stage 1, delivered in one batch: both answered, one stage-2 prompt (issue 15).
        var before = _bot.Api.LastSequence;
        _bot.Api.Enqueue(TelegramUpdates.Callback(Member, "vipe:1:1", "tap-1a"));
        await _bot.SendAsync(TelegramUpdates.Callback(Member, "vipe:1:1", "tap-1b"));
        await _bot.Api.WaitForCallAsync("answerCallbackQuery", c => c.Text("callback_query_id") == "tap-1a", afterSequence: before);
        await _bot.Api.WaitForCallAsync("answerCallbackQuery", c => c.Text("callback_query_id") == "tap-1b", afterSequence: before);
        var status = await _bot.SayAsync(Member, "/status");
        await _bot.ReplyToAsync(Member, status, c => c.Text("text")!.Contains("stage 2", StringComparison.Ordinal));
        Assert.Single(_bot.Api.Calls("sendMessage"), c => c.Sequence > before && c.CallbackData.Contains("vipe:1:2"));

        // Two taps on stage 2: one link, shown once (issue 15).
        before = _bot.Api.LastSequence;
        _bot.Api.Enqueue(TelegramUpdates.Callback(Member, "vipe:1:2", "tap-2a"));
        await _bot.SendAsync(TelegramUpdates.Callback(Member, "vipe:1:2", "tap-2b"));
        await _bot.Api.WaitForCallAsync("answerCallbackQuery", c => c.Text("callback_query_id") == "tap-2b", afterSequence: before);
        status = await _bot.SayAsync(Member, "/status");
        await _bot.ReplyToAsync(Member, status, c => c.Text("text")!.Contains("stage 3", StringComparison.Ordinal));
        var links = _bot.Api.Calls("sendMessage").Where(c => c.Sequence > before && c.Number("chat_id") == Member).SelectMany(c => c.Urls).ToList();
        Assert.Single(links);
        Assert.Single(_bot.Api.Calls("createChatInviteLink"));

        // A replay of the first stage's callback later on: answered, nothing new sent; a resume shows the same link.
        before = _bot.Api.LastSequence;
        await _bot.PressAsync(Member, "vipe:1:1");
        before = await _bot.SayAsync(Member, "/start");
        var resumed = await _bot.ReplyToAsync(Member, before, c => c.Urls.Count > 0);
        Assert.Equal(links[0], Assert.Single(resumed.Urls));
        Assert.Single(_bot.Api.Calls("sendMessage"), c => c.Number("chat_id") == Member && c.Urls.Count > 0 && c.Sequence < before);
        Assert.Single(_bot.Api.Calls("createChatInviteLink"));
        before = await _bot.SayAsync(Member, "/status");
        await _bot.ReplyToAsync(Member, before, c => c.Text("text")!.Contains("stage 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_forwarded_link_is_declined_and_stays_valid_for_its_owner()
    {
        var link = Assert.Single((await _bot.ReachLinkAsync(Member)).Urls);

        var before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.JoinRequest(TelegramBotHarness.VipChatId, Stranger, link));
        var decline = await _bot.Api.WaitForCallAsync("declineChatJoinRequest", c => c.Number("user_id") == Stranger, afterSequence: before);
        Assert.Equal(TelegramBotHarness.VipChatId, decline.Number("chat_id"));
        await _bot.ReplyToAsync(Stranger, before, c => c.Text("text")!.Contains("belongs to another member", StringComparison.Ordinal));
        Assert.Empty(_bot.Api.Calls("approveChatJoinRequest"));
        Assert.Empty(_bot.Api.Calls("revokeChatInviteLink"));

        before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.JoinRequest(TelegramBotHarness.VipChatId, Member, link));
        await _bot.Api.WaitForCallAsync("approveChatJoinRequest", c => c.Number("user_id") == Member, afterSequence: before);

        // Used once: the same link from the stranger again is still declined.
        before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.JoinRequest(TelegramBotHarness.VipChatId, Stranger, link));
        await _bot.Api.WaitForCallAsync("declineChatJoinRequest", c => c.Number("user_id") == Stranger, afterSequence: before);
        Assert.Single(_bot.Api.Calls("approveChatJoinRequest"));
    }

    [Fact]
    public async Task Revoke_removes_a_member_with_ban_then_unban_only_if_banned_and_revokes_a_pending_link()
    {
        // Member 42 completes the ritual and is in the channel; member 43 holds a live link.
        var link42 = Assert.Single((await _bot.ReachLinkAsync(Member)).Urls);
        var before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.JoinRequest(TelegramBotHarness.VipChatId, Member, link42));
        await _bot.Api.WaitForCallAsync("approveChatJoinRequest", afterSequence: before);
        var link43 = Assert.Single((await _bot.ReachLinkAsync(43)).Urls);

        // Not an admin: nothing happens.
        before = await _bot.SayAsync(Stranger, "/revoke 42");
        await _bot.ReplyToAsync(Stranger, before, c => c.Text("text")!.Contains("for admins", StringComparison.Ordinal));

        before = await _bot.SayAsync(TelegramBotHarness.AdminId, "/revoke 42");
        await _bot.ReplyToAsync(TelegramBotHarness.AdminId, before, c => c.Text("text")!.Contains("ended now", StringComparison.Ordinal));
        var ban = await _bot.Api.WaitForCallAsync("banChatMember", c => c.Number("user_id") == Member, afterSequence: before);
        var unban = await _bot.Api.WaitForCallAsync("unbanChatMember", c => c.Number("user_id") == Member, afterSequence: before);
        Assert.True(ban.Sequence < unban.Sequence);
        Assert.True(unban.Bool("only_if_banned"));
        Assert.Equal(TelegramBotHarness.VipChatId, ban.Number("chat_id"));
        await _bot.ReplyToAsync(Member, before, c => c.Text("text")!.Contains("access to the VIP channel was removed", StringComparison.Ordinal));

        // The member is told, then the lapse is confirmed (in the background sweep /revoke started).
        await _bot.WaitForLapseAsync(Member, VipEntry.Core.Results.VipEntryLapseState.Handled);
        before = await _bot.SayAsync(TelegramBotHarness.AdminId, "/status 42");
        await _bot.ReplyToAsync(TelegramBotHarness.AdminId, before, c => c.Text("text")!.Contains("subscription ended", StringComparison.Ordinal) && c.Text("text")!.Contains("removed from the channel after the lapse", StringComparison.Ordinal));

        before = await _bot.SayAsync(TelegramBotHarness.AdminId, "/revoke 43");
        await _bot.Api.WaitForCallAsync("revokeChatInviteLink", c => c.Text("invite_link") == link43, afterSequence: before);
        await _bot.ReplyToAsync(43, before, c => c.Text("text")!.Contains("has ended", StringComparison.Ordinal));

        // The revoked member's old link no longer lets them in, and the ritual is blocked.
        before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.JoinRequest(TelegramBotHarness.VipChatId, 43, link43));
        await _bot.Api.WaitForCallAsync("declineChatJoinRequest", c => c.Number("user_id") == 43, afterSequence: before);
        Assert.DoesNotContain(_bot.Api.Calls("banChatMember"), c => c.Number("user_id") == 43);
        before = await _bot.SayAsync(TelegramBotHarness.AdminId, "/status 43");
        await _bot.ReplyToAsync(TelegramBotHarness.AdminId, before, c => c.Text("text")!.Contains("subscription ended", StringComparison.Ordinal));
    }

    [Fact]
    public async Task R16_A_completed_member_gets_back_in_with_the_button_under_the_completed_notice()
    {
        var first = Assert.Single((await _bot.ReachLinkAsync(Member)).Urls);
        var before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.JoinRequest(TelegramBotHarness.VipChatId, Member, first));
        await _bot.Api.WaitForCallAsync("approveChatJoinRequest", c => c.Number("user_id") == Member, afterSequence: before);
        before = await _bot.SayAsync(Member, "/status");
        await _bot.ReplyToAsync(Member, before, c => c.Text("text")!.Contains("can ask for a re-entry link", StringComparison.Ordinal));

        // /start for a completed member: the completed notice, with the re-entry button as an inline callback button.
        before = await _bot.SayAsync(Member, "/start");
        var notice = await _bot.ReplyToAsync(Member, before, c => c.Buttons.Count > 0);
        Assert.Contains("Your VIP entry is complete", notice.Text("text"), StringComparison.Ordinal);
        Assert.Equal(["vipe:1:r"], notice.CallbackData);
        Assert.Empty(notice.Urls);

        // Pressed: a new one-time join-request link, bound to them; pressed again (a double tap): answered, nothing minted
        // and nothing sent (issue 15); /start shows that same live link.
        before = _bot.Api.LastSequence;
        await _bot.PressAsync(Member, "vipe:1:r");
        var reentry = Assert.Single((await _bot.ReplyToAsync(Member, before, c => c.Urls.Count > 0)).Urls);
        Assert.NotEqual(first, reentry);
        before = _bot.Api.LastSequence;
        await _bot.PressAsync(Member, "vipe:1:r");
        var started = await _bot.SayAsync(Member, "/start");
        Assert.Equal(reentry, Assert.Single((await _bot.ReplyToAsync(Member, started, c => c.Urls.Count > 0)).Urls));
        Assert.DoesNotContain(_bot.Api.Calls("sendMessage"), c => c.Sequence > before && c.Sequence < started);
        Assert.Single(_bot.Api.Calls("sendMessage"), c => c.Sequence > before && c.Urls.Count > 0);
        Assert.Equal(2, _bot.Api.Calls("createChatInviteLink").Count);

        // Someone else with it is declined; the member is let back in, the link revoked, and they stay completed.
        before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.JoinRequest(TelegramBotHarness.VipChatId, Stranger, reentry));
        await _bot.Api.WaitForCallAsync("declineChatJoinRequest", c => c.Number("user_id") == Stranger, afterSequence: before);
        before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.JoinRequest(TelegramBotHarness.VipChatId, Member, reentry));
        var approve = await _bot.Api.WaitForCallAsync("approveChatJoinRequest", c => c.Number("user_id") == Member, afterSequence: before);
        var revoke = await _bot.Api.WaitForCallAsync("revokeChatInviteLink", c => c.Text("invite_link") == reentry, afterSequence: before);
        Assert.True(approve.Sequence < revoke.Sequence);
        await _bot.ReplyToAsync(Member, before, c => c.Text("text")!.Contains("Welcome", StringComparison.Ordinal));
        before = await _bot.SayAsync(Member, "/status");
        await _bot.ReplyToAsync(Member, before, c => c.Text("text")!.Contains("completed; subscription active", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_completed_member_asking_to_join_with_a_link_that_is_not_theirs_is_declined()
    {
        var spent = Assert.Single((await _bot.ReachLinkAsync(Member)).Urls);
        var before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.JoinRequest(TelegramBotHarness.VipChatId, Member, spent));
        await _bot.Api.WaitForCallAsync("approveChatJoinRequest", c => c.Number("user_id") == Member, afterSequence: before);
        var othersLink = Assert.Single((await _bot.ReachLinkAsync(43)).Urls);

        // Another member's live link: refused, and it stays valid for its owner.
        before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.JoinRequest(TelegramBotHarness.VipChatId, Member, othersLink));
        await _bot.Api.WaitForCallAsync("declineChatJoinRequest", c => c.Number("user_id") == Member, afterSequence: before);
        await _bot.ReplyToAsync(Member, before, c => c.Text("text")!.Contains("belongs to another member", StringComparison.Ordinal));

        // Their own spent link (or any link that is no live grant of theirs): declined, with the way back in offered instead.
        before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.JoinRequest(TelegramBotHarness.VipChatId, Member, spent));
        await _bot.Api.WaitForCallAsync("declineChatJoinRequest", c => c.Number("user_id") == Member, afterSequence: before);
        await _bot.ReplyToAsync(Member, before, c => c.CallbackData.Contains("vipe:1:r"));
        Assert.Single(_bot.Api.Calls("approveChatJoinRequest"), c => c.Number("user_id") == Member);

        before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.JoinRequest(TelegramBotHarness.VipChatId, 43, othersLink));
        await _bot.Api.WaitForCallAsync("approveChatJoinRequest", c => c.Number("user_id") == 43, afterSequence: before);
    }

    [Fact]
    public async Task A_failed_approval_offers_a_reentry_link_that_lets_the_member_in()
    {
        var link = Assert.Single((await _bot.ReachLinkAsync(Member)).Urls);
        _bot.Api.FailNext("approveChatJoinRequest", 400, "Bad Request: HIDE_REQUESTER_MISSING");
        var before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.JoinRequest(TelegramBotHarness.VipChatId, Member, link));

        // The ritual is complete (the grant was redeemed) but the door did not open: the member is shown the re-entry button.
        await _bot.ReplyToAsync(Member, before, c => c.CallbackData.Contains("vipe:1:r"));
        Assert.DoesNotContain(_bot.Api.Calls("approveChatJoinRequest"), c => !c.Failed);

        before = _bot.Api.LastSequence;
        await _bot.PressAsync(Member, "vipe:1:r");
        var reentry = Assert.Single((await _bot.ReplyToAsync(Member, before, c => c.Urls.Count > 0)).Urls);
        before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.JoinRequest(TelegramBotHarness.VipChatId, Member, reentry));
        await _bot.Api.WaitForCallAsync("approveChatJoinRequest", c => c.Number("user_id") == Member, afterSequence: before);
        await _bot.ReplyToAsync(Member, before, c => c.Text("text")!.Contains("Welcome", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_restart_mid_ritual_resumes_where_the_member_was()
    {
        var code = await _bot.NewCodeAsync();
        var before = await _bot.SayAsync(Member, "/start " + code);
        await _bot.ReplyToAsync(Member, before, c => c.CallbackData.Contains("vipe:1:1"));
        await _bot.PressAsync(Member, "vipe:1:1");

        await _bot.StopAsync();
        await _bot.StartAsync();

        before = await _bot.SayAsync(Member, "/start");
        var resumed = await _bot.ReplyToAsync(Member, before, c => c.CallbackData.Count > 0);
        Assert.Equal(["vipe:1:2"], resumed.CallbackData);

        // The code was used before the restart and stays used.
        before = await _bot.SayAsync(Stranger, "/start " + code);
        await _bot.ReplyToAsync(Stranger, before, c => c.Text("text")!.Contains("not valid", StringComparison.Ordinal));

        before = _bot.Api.LastSequence;
        await _bot.PressAsync(Member, "vipe:1:2");
        await _bot.ReplyToAsync(Member, before, c => c.Urls.Count == 1);
        Assert.Single(_bot.Api.Calls("createChatInviteLink"));
    }

    [Fact]
    public async Task Garbage_callbacks_and_unknown_updates_do_not_crash_the_bot()
    {
        await _bot.ActivateAsync(Member);
        // VipEntry's own data that is garbage: the package answers the press and shows nothing.
        string[] vipEntryGarbage = ["vipe:9:9", "vipe:1:3", "vipe:1:1' OR 1=1 --"];
        foreach (var data in vipEntryGarbage)
        {
            await _bot.PressAsync(Member, data);
        }

        // Anything else is the sample's, which has no buttons of its own: answered with a toast.
        string?[] garbage = ["garbage", new string('x', 10_000), "ünïcødé", string.Empty, null];
        foreach (var data in garbage)
        {
            var answer = await _bot.PressAsync(Member, data);
            Assert.Equal("This button is not valid.", answer.Text("text"));
        }

        await _bot.SendAsync(TelegramUpdates.FromTheFuture());
        await _bot.SendAsync(SampleUpdates.GroupText(Member, -100999, "/start"));
        await _bot.SendAsync(SampleUpdates.Sticker(Member));
        await _bot.SendAsync(TelegramUpdates.JoinRequest(-100999, Member, "https://t.me/+whatever"));
        await _bot.SendAsync(TelegramUpdates.JoinRequest(TelegramBotHarness.VipChatId, Stranger, null));
        var before = await _bot.SayAsync(Member, "/start " + new string('A', 65));
        await _bot.ReplyToAsync(Member, before, c => c.Text("text")!.Contains("not valid", StringComparison.Ordinal));

        // Still at stage 1 and still answering.
        before = await _bot.SayAsync(Member, "/status");
        await _bot.ReplyToAsync(Member, before, c => c.Text("text")!.Contains("stage 1", StringComparison.Ordinal));
        Assert.Empty(_bot.Api.Calls("approveChatJoinRequest"));
        Assert.Empty(_bot.Api.Calls("createChatInviteLink"));
    }

    [Fact]
    public async Task Too_many_requests_are_retried_after_retry_after()
    {
        _bot.Api.FailNext("sendMessage", 429, "Too Many Requests: retry after 1", retryAfter: 1);
        var before = await _bot.SayAsync(Member, "/help");
        var reply = await _bot.ReplyToAsync(Member, before);
        Assert.Contains("/newcode", reply.Text("text"), StringComparison.Ordinal);
        var attempts = _bot.Api.Calls("sendMessage").Where(c => c.Sequence > before).ToList();
        Assert.True(attempts[0].Failed);
        Assert.False(reply.Failed);
        Assert.True(reply.Sequence > attempts[0].Sequence);

        // The retry waited retry_after (1 s) instead of hammering the API (a lower bound: slowness cannot fail it).
        Assert.True(reply.ReceivedAt - attempts[0].ReceivedAt >= TimeSpan.FromMilliseconds(950), $"retried after {reply.ReceivedAt - attempts[0].ReceivedAt}");
    }

    [Fact]
    public async Task A_failed_invite_link_call_loses_nothing_and_the_member_can_try_again()
    {
        await _bot.ActivateAsync(Member);
        await _bot.PressAsync(Member, "vipe:1:1");
        _bot.Api.FailNext("createChatInviteLink", 400, "Bad Request: not enough rights");
        var before = _bot.Api.LastSequence;
        await _bot.PressAsync(Member, "vipe:1:2");
        await _bot.ReplyToAsync(Member, before, c => c.Text("text")!.Contains("try again", StringComparison.Ordinal));

        before = await _bot.SayAsync(Member, "/start");
        var retried = await _bot.ReplyToAsync(Member, before, c => c.Urls.Count == 1);
        Assert.Equal(2, _bot.Api.Calls("createChatInviteLink").Count);
        Assert.Single(_bot.Api.Calls("createChatInviteLink"), c => !c.Failed);
        Assert.StartsWith("https://t.me/+FAKEINVITE", retried.Urls[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_who_joins_without_a_valid_grant_is_removed()
    {
        var before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.MemberJoined(TelegramBotHarness.VipChatId, Stranger));
        var ban = await _bot.Api.WaitForCallAsync("banChatMember", c => c.Number("user_id") == Stranger, afterSequence: before);
        var unban = await _bot.Api.WaitForCallAsync("unbanChatMember", c => c.Number("user_id") == Stranger, afterSequence: before);
        Assert.True(unban.Bool("only_if_banned"));
        Assert.True(ban.Sequence < unban.Sequence);

        // An admin joining is left alone.
        before = _bot.Api.LastSequence;
        await _bot.SendAsync(TelegramUpdates.MemberJoined(TelegramBotHarness.VipChatId, TelegramBotHarness.AdminId));
        await _bot.SayAsync(Member, "/help");
        await _bot.ReplyToAsync(Member, before);
        Assert.DoesNotContain(_bot.Api.Calls("banChatMember"), c => c.Number("user_id") == TelegramBotHarness.AdminId);
    }
}
