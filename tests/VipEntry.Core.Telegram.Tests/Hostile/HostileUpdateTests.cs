using System.Text.Json.Nodes;
using CsCheck;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Telegram.Tests.Faults;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;
using VipEntry.Tests.Hostile;

namespace VipEntry.Core.Telegram.Tests.Hostile;

/// <summary>
/// Issue 10, hostile input through the fake Bot API: malformed and unexpected updates reach
/// <see cref="IVipEntryTelegram.HandleUpdateAsync"/> while a member stands at stage 3 with a live link and another at
/// stage 1. Nothing throws, nobody is approved, nobody advances, and afterwards the real member still gets in with their link.
/// </summary>
public sealed class HostileUpdateTests
{
    private const long Owner = FaultScenarios.Member;
    private const long Other = 9003;
    private const long Stranger = FaultScenarios.Stranger;
    private const long Vip = TelegramTestHost.VipChatId;
    private const long OtherChat = -1009999999999;

    private static readonly string Huge = new('x', 1 << 20);

    public static TheoryData<string> Cases => [.. HostileCases.Keys];

    // Each builds an update from the owner's live link.
    private static readonly Dictionary<string, Func<string, JsonObject>> HostileCases = new()
    {
        ["callback without from"] = _ => TelegramUpdates.Without(TelegramUpdates.Callback(Owner, "vipe:1:1", "q-nofrom", messageId: 5), "callback_query", "from"),
        ["join request without from"] = link => TelegramUpdates.Without(TelegramUpdates.JoinRequest(Vip, Owner, link), "chat_join_request", "from"),
        ["join request without chat"] = link => TelegramUpdates.Without(TelegramUpdates.JoinRequest(Vip, Owner, link), "chat_join_request", "chat"),
        ["chat_member without from"] = _ => TelegramUpdates.Without(TelegramUpdates.MemberJoined(Vip, Stranger), "chat_member", "from"),
        ["chat_member without new_chat_member"] = _ => TelegramUpdates.Without(TelegramUpdates.MemberJoined(Vip, Stranger), "chat_member", "new_chat_member"),
        ["chat_member without old_chat_member"] = _ => TelegramUpdates.Without(TelegramUpdates.MemberJoined(Vip, Stranger), "chat_member", "old_chat_member"),
        ["unknown update type"] = _ => TelegramUpdates.FromTheFuture(),
        ["empty update"] = _ => [],
        ["1 MB private text"] = _ => TelegramUpdates.PrivateText(Stranger, Huge),
        ["1 MB callback data"] = _ => TelegramUpdates.Callback(Stranger, "vipe:1:" + Huge, "q-huge", messageId: 5),
        ["1 MB invite link"] = _ => TelegramUpdates.JoinRequest(Vip, Stranger, "https://t.me/+" + Huge),
        ["1 MB language code"] = _ => TelegramUpdates.Callback(Stranger, "vipe:1:1", "q-lang", messageId: 5, languageCode: Huge),
        ["join request of another chat with the owner's link"] = link => TelegramUpdates.JoinRequest(OtherChat, Owner, link),
        ["join request of another chat by a stranger"] = link => TelegramUpdates.JoinRequest(OtherChat, Stranger, link),
        ["chat_member of another chat"] = _ => TelegramUpdates.MemberJoined(OtherChat, Stranger),
        ["join request without a link"] = _ => TelegramUpdates.JoinRequest(Vip, Stranger, null),
        ["join request with an unknown link"] = _ => TelegramUpdates.JoinRequest(Vip, Stranger, "https://t.me/+NOSUCHLINK123"),
        ["join request with someone else's link"] = link => TelegramUpdates.JoinRequest(Vip, Stranger, link),
        ["join request with someone else's link by an enrolled member"] = link => TelegramUpdates.JoinRequest(Vip, Other, link),
        ["a stranger presses the owner's stage-2 button"] = _ => TelegramUpdates.Callback(Stranger, "vipe:1:2", "q-s2", messageId: 5),
        ["a member at stage 1 presses the owner's stage-2 button"] = _ => TelegramUpdates.Callback(Other, "vipe:1:2", "q-o2", messageId: 5),
        ["a member at stage 1 presses someone's new-link button"] = _ => TelegramUpdates.Callback(Other, "vipe:1:n", "q-on", messageId: 5),
        ["a member at stage 1 presses someone's re-entry button"] = _ => TelegramUpdates.Callback(Other, "vipe:1:r", "q-or", messageId: 5),
        ["forged callback data"] = _ => TelegramUpdates.Callback(Other, "vipe:1:3", "q-forged", messageId: 5),
        ["callback without message"] = _ => TelegramUpdates.Callback(Stranger, "vipe:1:1", "q-nomsg"),
        ["a stranger's left-before-joined event"] = _ => TelegramUpdates.MemberChanged(Vip, Stranger, "member", "left"),
        ["a stranger joined as administrator"] = _ => TelegramUpdates.MemberChanged(Vip, Stranger, "left", "administrator"),
        ["a bot joined"] = _ => TelegramUpdates.MemberChanged(Vip, Stranger, "left", "member", isBot: true),
        ["member to member (joined twice)"] = _ => TelegramUpdates.MemberChanged(Vip, Stranger, "member", "member"),
        ["kicked to restricted"] = _ => TelegramUpdates.MemberChanged(Vip, Stranger, "kicked", "restricted"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Issue10_a_hostile_update_crashes_nothing_admits_nobody_and_loses_nothing(string name)
    {
        await using var host = new TelegramTestHost();
        host.Api.TrackMembership = true;
        var link = await FaultScenarios.ToStage3Async(host);
        await host.TelegramAsync(t => t.ActivateAsync(Other, host.Time.GetUtcNow().AddDays(30)));
        var update = HostileCases[name](link!);

        await host.HandleAsync(update);
        await host.HandleAsync(update);   // replayed, same update_id

        await AssertNothingAdmittedAsync(host);
        await AssertOwnerStillGetsInAsync(host, link!);
    }

    [Fact]
    public async Task Issue10_join_requests_with_expired_or_revoked_links_are_declined_and_the_owner_gets_a_way_on()
    {
        await using var host = new TelegramTestHost();
        host.Api.TrackMembership = true;
        var first = await FaultScenarios.ToStage3Async(host);
        host.Time.Advance(TimeSpan.FromHours(25));

        // The owner's expired link: declined, and they are offered a new one.
        await FaultScenarios.JoinAsync(host, first);
        Assert.Empty(host.Api.Calls("approveChatJoinRequest"));
        Assert.Equal(VipEntryStage.AccessDelivery, (await host.StatusAsync(Owner)).Stage);

        // A new link replaces it; the old (revoked) one stays refused, for the owner and for a stranger.
        await FaultScenarios.PressAsync(host);
        var second = Assert.Single(FaultScenarios.Last(host).Urls);
        Assert.NotEqual(first, second);
        Assert.Contains(host.Api.Succeeded("revokeChatInviteLink"), c => c.Text("invite_link") == first);
        await FaultScenarios.JoinAsync(host, first);
        await host.HandleAsync(TelegramUpdates.JoinRequest(Vip, Stranger, first));
        Assert.Empty(host.Api.Calls("approveChatJoinRequest"));

        await FaultScenarios.JoinAsync(host, second);
        Assert.Equal(Owner, Assert.Single(host.Api.Succeeded("approveChatJoinRequest")).Number("user_id"));

        // The spent link, replayed: never a second approval.
        await FaultScenarios.JoinAsync(host, second);
        await host.HandleAsync(TelegramUpdates.JoinRequest(Vip, Stranger, second));
        Assert.Single(host.Api.Succeeded("approveChatJoinRequest"));
    }

    [Fact]
    public async Task Issue10_chat_member_events_out_of_order_never_remove_a_paid_up_member_and_always_remove_a_lapsed_one()
    {
        await using var host = new TelegramTestHost();
        host.Api.TrackMembership = true;
        await FaultScenarios.CompleteAsync(host);
        var joined = TelegramUpdates.MemberJoined(Vip, Owner);
        var left = TelegramUpdates.MemberChanged(Vip, Owner, "member", "left");

        // Left before joined, joined twice, an old join after a newer leave: an entitled member is never removed.
        foreach (var update in new[] { left, joined, joined, left, joined })
        {
            Assert.True(await host.HandleAsync(update));
        }

        Assert.Empty(host.Api.Calls("banChatMember"));
        Assert.Empty(host.Api.Calls("unbanChatMember"));

        // Once lapsed, an old join event replayed removes them (ban then unban: out, and able to come back after renewal).
        await host.LapseAsync(Owner);
        await host.HandleAsync(joined);
        Assert.Single(host.Api.Succeeded("banChatMember"));
        Assert.Equal("left", host.Api.ChatMemberStatus(Owner));
    }

    [Fact]
    public async Task Issue10_generated_updates_crash_nothing_and_admit_nobody()
    {
        await using var host = new TelegramTestHost();
        host.Api.TrackMembership = true;
        var link = await FaultScenarios.ToStage3Async(host);
        await host.TelegramAsync(t => t.ActivateAsync(Other, host.Time.GetUtcNow().AddDays(30)));
        var text = Gen.Frequency((3, HostileInput.Any), (1, Gen.Const(link!)), (1, Gen.OneOf(Gen.Const("vipe:1:1"), Gen.Const("vipe:1:2"), Gen.Const("vipe:1:n"), Gen.Const("vipe:1:r"))));
        var user = Gen.OneOf(Gen.Const(Stranger), Gen.Long[Stranger + 1, long.MaxValue]);
        var chat = Gen.OneOf(Gen.Const(Vip), Gen.Const(OtherChat), Gen.Long);
        var status = Gen.OneOf(Gen.Const("member"), Gen.Const("left"), Gen.Const("kicked"), Gen.Const("administrator"), Gen.Const("creator"), Gen.Const("restricted"));
        var update = Gen.OneOf(
            Gen.Select(user, text, text, (u, d, lang) => TelegramUpdates.Callback(u, d, "q-gen", messageId: 7, languageCode: lang.Length > 64 ? null : lang)),
            Gen.Select(chat, user, text, (c, u, l) => TelegramUpdates.JoinRequest(c, u, l)),
            Gen.Select(chat, user, status, status, (c, u, o, n) => TelegramUpdates.MemberChanged(c, u, o, n)),
            Gen.Select(user, text, (u, t) => TelegramUpdates.PrivateText(u, t)));
        var handled = 0;

        await update.SampleAsync(
            async json =>
            {
                await host.HandleAsync(json);
                handled++;
            },
            iter: HostileInput.Scaled(300),
            threads: 1,
            print: j => HostileInput.Describe(j.ToJsonString()));

        Assert.Equal(HostileInput.Scaled(300), handled);
        await AssertNothingAdmittedAsync(host);
        await AssertOwnerStillGetsInAsync(host, link!);
    }

    private static async Task AssertNothingAdmittedAsync(TelegramTestHost host)
    {
        Assert.Empty(host.Api.Succeeded("approveChatJoinRequest"));
        Assert.Equal(VipEntryStage.AccessDelivery, (await host.StatusAsync(Owner)).Stage);
        Assert.Equal(VipEntryStage.ActivationConfirmation, (await host.StatusAsync(Other)).Stage);
        Assert.Equal(VipEntryStage.NotEnrolled, (await host.StatusAsync(Stranger)).Stage);
    }

    private static async Task AssertOwnerStillGetsInAsync(TelegramTestHost host, string link)
    {
        await FaultScenarios.JoinAsync(host, link);
        Assert.Equal(Owner, Assert.Single(host.Api.Succeeded("approveChatJoinRequest")).Number("user_id"));
        Assert.Equal(VipEntryOutcome.AlreadyCompleted, (await host.EngineAsync(e => e.GetStepAsync(Owner))).Result.Outcome);
    }
}
