using VipEntry.Core.Results;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests.Faults;

/// <summary>Every step of the Telegram side that calls the Bot API, as a <see cref="FaultScenario"/>.</summary>
internal static class FaultScenarios
{
    public const long Member = 9001;
    public const long Stranger = 9002;
    private const long Vip = TelegramTestHost.VipChatId;

    public static readonly FaultScenario[] All =
    [
        // The ritual, as the member walks it.
        new("activate", ["sendMessage"], _ => NoLink(), (h, _) => ActivateAsync(h), GetInAsync),
        new("press stage 1", ["answerCallbackQuery", "sendMessage", "editMessageReplyMarkup"], async h => { await ActivateAsync(h); return null; }, (h, _) => PressAsync(h), GetInAsync),
        new("press stage 2 (issues the link)", ["answerCallbackQuery", "createChatInviteLink", "sendMessage", "editMessageReplyMarkup"], async h => { await ActivateAsync(h); await PressAsync(h); return null; }, (h, _) => PressAsync(h), GetInAsync),
        new("/start at stage 3 after the link expired", ["sendMessage"], async h => { var link = await ToStage3Async(h); h.Time.Advance(TimeSpan.FromHours(25)); return link; }, (h, _) => StartAsync(h), GetInAsync),
        new("press new link (replaces the expired one)", ["answerCallbackQuery", "revokeChatInviteLink", "createChatInviteLink", "sendMessage", "editMessageReplyMarkup"], async h => { var link = await ToStage3Async(h); h.Time.Advance(TimeSpan.FromHours(25)); await StartAsync(h); return link; }, (h, _) => PressAsync(h), GetInAsync),
        new("join request of the owner", ["approveChatJoinRequest", "revokeChatInviteLink", "sendMessage"], ToStage3Async, JoinAsync, GetInAsync),
        new("join request through a forwarded link", ["declineChatJoinRequest", "sendMessage"], ToStage3Async, (h, link) => h.HandleAsync(TelegramUpdates.JoinRequest(Vip, Stranger, link)), GetInAsync),
        new("join request through the owner's expired link", ["declineChatJoinRequest", "sendMessage"], async h => { var link = await ToStage3Async(h); h.Time.Advance(TimeSpan.FromHours(25)); return link; }, JoinAsync, GetInAsync),

        // A completed member who is outside asks to come back (R16).
        new("/start of a completed member outside the chat", ["getChatMember", "sendMessage"], LeftAsync, (h, _) => StartAsync(h), GetInAsync),
        new("press re-entry", ["answerCallbackQuery", "getChatMember", "createChatInviteLink", "sendMessage", "editMessageReplyMarkup"], async h => { await LeftAsync(h); await StartAsync(h); return null; }, (h, _) => PressAsync(h), GetInAsync),
        new("join request with the re-entry link", ["approveChatJoinRequest", "revokeChatInviteLink", "sendMessage"], async h => { await LeftAsync(h); await StartAsync(h); await PressAsync(h); return Last(h).Urls[0]; }, JoinAsync, GetInAsync),

        // Renewal of a lapsed member whom no sweep has taken in hand: out of the chat, back to stage 1 (R2).
        new("renewal of a lapsed member still inside", ["revokeChatInviteLink", "unbanChatMember", "sendMessage"], async h => { await CompleteAsync(h); await h.ReentryLinkWhileInsideAsync(Member); await h.LapseAsync(Member); return null; }, (h, _) => ActivateAsync(h), GetInAsync),

        // Reminders (R18), sent by the channel worker's cycle.
        new("idle reminder", ["sendMessage"], async h => { await ActivateAsync(h); await h.RunChannelCycleAsync(); h.Time.Advance(TimeSpan.FromHours(2)); return null; }, (h, _) => h.RunChannelCycleAsync(), GetInAsync) { VipEntry = o => o.NudgeIdleAfter = TimeSpan.FromHours(1) },

        // The channel worker (R8, R17).
        new("lapse of a completed member holding a live link", ["revokeChatInviteLink", "banChatMember", "unbanChatMember", "sendMessage"], async h => { await CompleteAsync(h); var reentry = await h.ReentryLinkWhileInsideAsync(Member); await h.LapseAsync(Member); return reentry; }, (h, _) => h.RunChannelCycleAsync(), LapseDoneAsync),
        new("lapse at stage 3", ["revokeChatInviteLink", "sendMessage"], async h => { var link = await ToStage3Async(h); await h.LapseAsync(Member); return link; }, (h, _) => h.RunChannelCycleAsync(), LapseDoneAsync),

        // Someone joined the VIP chat without a grant.
        new("an intruder joins", ["banChatMember", "unbanChatMember"], h => { h.Api.SetChatMember(Stranger, "member"); return NoLink(); }, (h, _) => h.HandleAsync(TelegramUpdates.MemberJoined(Vip, Stranger)), IntruderOutAsync),
    ];

    public static FaultScenario Named(string name) => All.Single(s => s.Name == name);

    public static async Task ActivateAsync(TelegramTestHost host) =>
        await host.TelegramAsync(t => t.ActivateAsync(Member, host.Time.GetUtcNow().AddDays(30)));

    public static RecordedCall Last(TelegramTestHost host) =>
        host.Api.Succeeded("sendMessage").Last(c => c.Number("chat_id") == Member);

    public static async Task PressAsync(TelegramTestHost host)
    {
        var last = Last(host);
        await host.HandleAsync(TelegramUpdates.Callback(Member, Assert.Single(last.CallbackData), $"q-{last.Sequence}", messageId: last.Sequence));
    }

    public static Task StartAsync(TelegramTestHost host) => host.TelegramAsync(t => t.ShowStepAsync(Member));

    public static Task JoinAsync(TelegramTestHost host, string? link) => host.HandleAsync(TelegramUpdates.JoinRequest(Vip, Member, link));

    public static async Task<string?> ToStage3Async(TelegramTestHost host)
    {
        await ActivateAsync(host);
        await PressAsync(host);
        await PressAsync(host);
        return Assert.Single(Last(host).Urls);
    }

    public static async Task CompleteAsync(TelegramTestHost host)
    {
        await JoinAsync(host, await ToStage3Async(host));
        Assert.Equal("member", host.Api.ChatMemberStatus(Member));
    }

    /// <summary>Completed, then left the chat; the reissue cooldown has passed.</summary>
    public static async Task<string?> LeftAsync(TelegramTestHost host)
    {
        await CompleteAsync(host);
        host.Api.SetChatMember(Member, "left");
        host.Time.Advance(TimeSpan.FromMinutes(6));
        return null;
    }

    private static Task<string?> NoLink() => Task.FromResult<string?>(null);

    /// <summary>The member gets in (entitled, inside); nobody else was ever approved; the stranger is not inside.</summary>
    public static async Task GetInAsync(TelegramTestHost host, string? link)
    {
        await new MemberAtTheKeyboard(host, Member).GetInAsync();
        Assert.All(host.Api.Succeeded("approveChatJoinRequest"), c => Assert.Equal(Member, c.Number("user_id")));
        Assert.NotEqual("member", host.Api.ChatMemberStatus(Stranger));
    }

    /// <summary>Worker cycles, each after the lease ran out, until the lapse is confirmed: the work is then really done.</summary>
    public static async Task LapseDoneAsync(TelegramTestHost host, string? link)
    {
        var lease = TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1);
        for (var cycle = 0; cycle < 4 && (await host.StatusAsync(Member)).Lapse != VipEntryLapseState.Handled; cycle++)
        {
            host.Time.Advance(lease);
            await host.RunChannelCycleAsync();
        }

        var status = await host.StatusAsync(Member);
        Assert.True(status.Lapse == VipEntryLapseState.Handled, $"The lapse is still owed ({status.Lapse}).\n{host.Api.Describe()}");
        AssertLapseWorkDone(host, link, status);

        // Done once: nothing more is handed out.
        host.Time.Advance(lease);
        Assert.Equal(VipEntry.Core.Channel.VipEntryChannelCycleReport.Empty, await host.RunChannelCycleAsync());
    }

    /// <summary>A confirmed lapse means: the link revoked at Telegram, and a completed member out of the chat and not banned.</summary>
    public static void AssertLapseWorkDone(TelegramTestHost host, string? link, VipEntryStatus status)
    {
        if (link is not null)
        {
            Assert.Contains(host.Api.Succeeded("revokeChatInviteLink"), c => c.Text("invite_link") == link);
        }

        if (host.Api.Succeeded("approveChatJoinRequest").Count > 0)
        {
            Assert.True(host.Api.ChatMemberStatus(Member) == "left", $"Lapse {status.Lapse} but chat status {host.Api.ChatMemberStatus(Member)}.\n{host.Api.Describe()}");
        }
    }

    /// <summary>
    /// Telegram sends the intruder's <c>chat_member</c> update once: the removal is recorded (R19), and the channel
    /// worker's next cycle after the lease finishes the removal a fault interrupted; the intruder ends up out, and not banned.
    /// </summary>
    public static async Task IntruderOutAsync(TelegramTestHost host, string? link)
    {
        host.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        await host.RunChannelCycleAsync();

        var calls = string.Join("; ", host.Api.Calls().Where(c => c.Method is "banChatMember" or "unbanChatMember")
            .Select(c => $"#{c.Sequence} {c.Method} failed={c.Failed} only_if_banned={c.Body["only_if_banned"]}"));
        Assert.True(host.Api.ChatMemberStatus(Stranger) == "left", $"the intruder is {host.Api.ChatMemberStatus(Stranger)}; calls: {calls}");
    }
}
