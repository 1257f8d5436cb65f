using VipEntry.Core.Channel;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Telegram.Tests.Faults;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Core.EfCore.Tests.Infrastructure;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests;

/// <summary>
/// Issue 14 through the Telegram package, against the fake Bot API with <c>TrackMembership</c> (a ban makes the member
/// <c>kicked</c>, an unban <c>left</c>, an approval <c>member</c>). Each test fails on the code before issue 14: besides
/// the behaviour each one names, that code cannot even compile them, since <see cref="VipEntryChannelCycleReport"/> and
/// the channel worker they drive did not exist (the package had its own lapse processor and an in-memory intruder list).
/// </summary>
public sealed class Issue14Tests
{
    private const long Vip = TelegramTestHost.VipChatId;
    private const long Member = FaultScenarios.Member;
    private const long Stranger = FaultScenarios.Stranger;
    private static readonly TimeSpan AfterTheLease = TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1);

    // Defect 1 (a). Before: the cycle claimed the lapse and its ban failed; the renewal (Restarted, the lapse claim cleared)
    // only tried to lift a ban (unbanChatMember only_if_banned, which leaves a member inside), and when the new
    // subscription ended at stage 1 the lapse said ShouldRemoveFromChannel = false: the member stayed inside, unpaid, for
    // good. Now the renewal turns the owed removal into one without a ban (it fails here too), and once the new
    // subscription ends the next cycles remove the member for good (ban, then unban only if banned).
    [Theory]
    [InlineData(TestStore.InMemory, 500, "Internal Server Error")]
    [InlineData(TestStore.InMemory, 400, "Bad Request: need administrator rights in the channel chat")]
    [InlineData(TestStore.Sqlite, 500, "Internal Server Error")]
    [InlineData(TestStore.Postgres, 400, "Bad Request: not enough rights to restrict/unrestrict chat member")]
    public async Task Issue14_Defect1_a_renewal_over_a_claimed_lapse_whose_ban_failed_does_not_lose_the_removal(TestStore store, int code, string description)
    {
        await using var host = new TelegramTestHost(storeKind: store);
        host.Api.TrackMembership = true;
        await FaultScenarios.CompleteAsync(host);
        await host.LapseAsync(Member);

        host.Api.FailNext("banChatMember", code, description);
        Assert.Equal(VipEntryChannelCycleReport.Empty with { Failed = 2 }, await host.RunChannelCycleAsync());
        Assert.Equal(VipEntryLapseState.Claimed, (await host.StatusAsync(Member)).Lapse);
        Assert.Equal("member", host.Api.ChatMemberStatus(Member));

        // The member renews before the lease runs out, for a few minutes only; the removal the renewal owes fails too.
        var renewal = host.Api.LastSequence;
        host.Api.FailNext("unbanChatMember", 500, "Internal Server Error");
        var renewed = await host.TelegramAsync(t => t.ActivateAsync(Member, host.Time.GetUtcNow().AddMinutes(5)));
        Assert.Equal(VipEntryOutcome.Restarted, renewed.Outcome);
        Assert.Equal(VipEntryStage.ActivationConfirmation, (await host.StatusAsync(Member)).Stage);
        Assert.Equal("member", host.Api.ChatMemberStatus(Member));
        Assert.DoesNotContain(host.Api.Calls("banChatMember"), c => c.Sequence > renewal);

        // The new subscription ends with the member at stage 1; the next cycles remove them.
        host.Time.Advance(AfterTheLease);
        for (var cycle = 0; cycle < 3 && host.Api.ChatMemberStatus(Member) != "left"; cycle++)
        {
            await host.RunChannelCycleAsync();
            host.Time.Advance(AfterTheLease);
        }

        Assert.True(host.Api.ChatMemberStatus(Member) == "left", $"Left inside, unpaid: {host.Api.ChatMemberStatus(Member)}.\n{host.Api.Describe()}");
        var ban = Assert.Single(host.Api.Succeeded("banChatMember"));
        Assert.True(ban.Sequence > renewal);
        Assert.True(host.Api.Succeeded("unbanChatMember")[^1].Bool("only_if_banned"));
        Assert.False((await host.StatusAsync(Member)).IsActive);
        Assert.Equal(VipEntryChannelCycleReport.Empty, await host.RunChannelCycleAsync());
    }

    // Defect 1 (b). Before: the renewal over the claimed lapse made one unbanChatMember with only_if_banned = true, which
    // leaves a member inside: the member, now at stage 1, stayed inside with no removal owed. Now, while they pay, they are
    // removed at once without a ban: one unbanChatMember without only_if_banned, and never a banChatMember after the renewal.
    [Theory]
    [InlineData(TestStore.InMemory)]
    [InlineData(TestStore.Postgres)]
    public async Task Issue14_Defect1_a_renewed_member_still_inside_is_removed_without_a_ban_while_they_pay(TestStore store)
    {
        await using var host = new TelegramTestHost(storeKind: store);
        host.Api.TrackMembership = true;
        await FaultScenarios.CompleteAsync(host);
        await host.LapseAsync(Member);
        host.Api.FailNext("banChatMember", 500, "Internal Server Error");
        Assert.Equal(VipEntryChannelCycleReport.Empty with { Failed = 2 }, await host.RunChannelCycleAsync());
        var renewal = host.Api.LastSequence;

        await FaultScenarios.ActivateAsync(host);

        Assert.Equal("left", host.Api.ChatMemberStatus(Member));
        var unban = Assert.Single(host.Api.Calls("unbanChatMember"), c => c.Sequence > renewal);
        Assert.NotEqual(true, unban.Bool("only_if_banned"));
        Assert.Equal(Member, unban.Number("user_id"));
        var step = Assert.Single(host.Api.Calls("sendMessage"), c => c.Sequence > renewal);
        Assert.True(unban.Sequence < step.Sequence);
        Assert.Equal([VipEntryCallbackData.EncodeAdvance(VipEntryStage.ActivationConfirmation)], step.CallbackData);

        // Later cycles (the old lapse's lease runs out) never ban the payer; they walk the ritual back in.
        host.Time.Advance(AfterTheLease);
        await host.RunChannelCycleAsync();
        await new MemberAtTheKeyboard(host, Member).GetInAsync();
        Assert.DoesNotContain(host.Api.Calls("banChatMember"), c => c.Sequence > renewal);
        Assert.Empty(host.Api.Succeeded("banChatMember"));
    }

    // Defect 3. Before: the intruder retry saw "entitled" and dropped the retry, leaving the ban its own half-done removal
    // had placed: a paying, completed member who could never join. Now the ban was recorded before it was asked for, and the
    // next cycle lifts it (unbanChatMember with only_if_banned = true).
    [Theory]
    [InlineData(TestStore.InMemory)]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task Issue14_Defect3_an_intruder_left_banned_by_a_half_done_removal_has_the_ban_lifted_once_entitled(TestStore store)
    {
        await using var host = new TelegramTestHost(storeKind: store);
        host.Api.TrackMembership = true;
        host.Api.SetChatMember(Stranger, "member");
        host.Api.FailNext("unbanChatMember", 500, "Internal Server Error");

        await host.HandleAsync(TelegramUpdates.MemberJoined(Vip, Stranger));
        Assert.Single(host.Api.Succeeded("banChatMember"));
        Assert.Equal("kicked", host.Api.ChatMemberStatus(Stranger));

        // They become entitled: a subscription through the package, then an administrative skip (completed).
        await host.TelegramAsync(t => t.ActivateAsync(Stranger, host.Time.GetUtcNow().AddDays(30)));
        Assert.Equal(VipEntryOutcome.Skipped, (await host.EngineAsync(e => e.SkipAsync(Stranger, "admin", "complimentary"))).Outcome);
        Assert.True((await host.StatusAsync(Stranger)).IsEntitled);
        var entitled = host.Api.LastSequence;

        var report = await host.RunChannelCycleAsync();

        Assert.Equal(VipEntryChannelCycleReport.Empty with { BansLifted = 1 }, report);
        var lift = Assert.Single(host.Api.Calls("unbanChatMember"), c => c.Sequence > entitled);
        Assert.True(lift.Bool("only_if_banned"));
        Assert.Equal(Stranger, lift.Number("user_id"));
        Assert.DoesNotContain(host.Api.Calls("banChatMember"), c => c.Sequence > entitled);
        Assert.Equal("left", host.Api.ChatMemberStatus(Stranger));

        // Nothing more is owed, and the paying member can come in (re-entry: they are outside).
        host.Time.Advance(AfterTheLease);
        Assert.Equal(VipEntryChannelCycleReport.Empty, await host.RunChannelCycleAsync());
        await new MemberAtTheKeyboard(host, Stranger).GetInAsync();
    }

    // Before: a failed intruder removal lived in the process's memory (IntruderRemovals), so a restart (or a different
    // replica) never finished it. Now it is a recorded fact in the database: a new process after a restart removes the
    // intruder with the next cycle after the lease.
    [Theory]
    [InlineData(TestStore.Sqlite)]
    [InlineData(TestStore.Postgres)]
    public async Task Issue14_IntruderRemoval_survives_a_restart_and_is_done_by_a_new_process_after_the_lease(TestStore store)
    {
        await using var api = new FakeBotApiServer { TrackMembership = true };
        var time = new RecordingTimeProvider(TelegramTestHost.Start);
        string database;
        if (store == TestStore.Postgres)
        {
            await PostgresServer.RequireAsync();
            database = await PostgresServer.CreateDatabaseAsync("telegram_restart");
        }
        else
        {
            database = Path.Combine(Path.GetTempPath(), $"vipentry-restart-{Guid.NewGuid():N}.db");
        }

        try
        {
            api.SetChatMember(Stranger, "member");
            api.FailNext("banChatMember", 500, "Internal Server Error");
            await using (var before = new TelegramTestHost(api, time: time, storeKind: store, database: database))
            {
                Assert.True(await before.HandleAsync(TelegramUpdates.MemberJoined(Vip, Stranger)));
                Assert.Equal("member", api.ChatMemberStatus(Stranger));
            }

            // The process is gone; another one starts on the same database.
            await using var after = new TelegramTestHost(api, time: time, storeKind: store, database: database);
            Assert.Equal(VipEntryChannelCycleReport.Empty, await after.RunChannelCycleAsync());   // within the lease
            Assert.Equal("member", api.ChatMemberStatus(Stranger));

            time.Advance(AfterTheLease);
            var report = await after.RunChannelCycleAsync();

            Assert.Equal(VipEntryChannelCycleReport.Empty with { Removed = 1 }, report);
            Assert.Equal("left", api.ChatMemberStatus(Stranger));
            Assert.Equal(2, api.Calls("banChatMember").Count);
            Assert.True(api.Succeeded("unbanChatMember")[^1].Bool("only_if_banned"));
            time.Advance(AfterTheLease);
            Assert.Equal(VipEntryChannelCycleReport.Empty, await after.RunChannelCycleAsync());
        }
        finally
        {
            if (store == TestStore.Postgres)
            {
                await PostgresServer.DropDatabaseAsync(database);
            }
            else
            {
                File.Delete(database);
            }
        }
    }

    // Defect 9 (a). Before: pressing an old re-entry button minted a new link without asking getChatMember, for a member who
    // was already inside. Now the press asks first, mints nothing, and says they are inside.
    [Fact]
    public async Task Issue14_Defect9_a_second_reentry_press_after_joining_mints_no_link_and_says_already_inside()
    {
        await using var host = new TelegramTestHost();
        host.Api.TrackMembership = true;
        await FaultScenarios.CompleteAsync(host);
        await host.HandleAsync(TelegramUpdates.MemberChanged(Vip, Member, "member", "left"));
        host.Api.SetChatMember(Member, "left");
        host.Time.Advance(TimeSpan.FromMinutes(6));

        // /start twice: two completed notices, each with the re-entry button (getChatMember says outside).
        var sent = host.Api.LastSequence;
        await FaultScenarios.StartAsync(host);
        await FaultScenarios.StartAsync(host);
        var notices = host.Api.Succeeded("sendMessage").Where(c => c.Sequence > sent).ToList();
        Assert.Equal(2, notices.Count);
        Assert.All(notices, n => Assert.Equal([VipEntryCallbackData.EncodeRequestReentry()], n.CallbackData));

        // The first press mints the re-entry link; the member joins with it and is approved.
        await host.HandleAsync(TelegramUpdates.Callback(Member, VipEntryCallbackData.EncodeRequestReentry(), "q-first", messageId: notices[0].Sequence));
        var link = Assert.Single(FaultScenarios.Last(host).Urls);
        await FaultScenarios.JoinAsync(host, link);
        Assert.Equal("member", host.Api.ChatMemberStatus(Member));
        var links = host.Api.Calls("createChatInviteLink").Count;
        var pressed = host.Api.LastSequence;

        // The second press: asked, inside, nothing minted.
        await host.HandleAsync(TelegramUpdates.Callback(Member, VipEntryCallbackData.EncodeRequestReentry(), "q-second", messageId: notices[1].Sequence));

        Assert.Equal(links, host.Api.Calls("createChatInviteLink").Count);
        var asked = Assert.Single(host.Api.Calls("getChatMember"), c => c.Sequence > pressed);
        Assert.Equal(Member, asked.Number("user_id"));
        var answer = Assert.Single(host.Api.Succeeded("sendMessage"), c => c.Sequence > pressed);
        Assert.Equal("You are already inside the VIP channel: there is nothing more to do.", answer.Text("text"));
        Assert.Empty(answer.Urls);
        Assert.Empty(answer.CallbackData);
        Assert.True(asked.Sequence < answer.Sequence);
        Assert.Single(host.Api.Calls("answerCallbackQuery"), c => c.Sequence > pressed);
        Assert.False((await host.StatusAsync(Member)).HasLiveGrant);
    }

    // Defect 9 (b). Before: a duplicate join request of a member approved a moment ago got the completed notice with the
    // re-entry button, unasked. Now the button is shown only when getChatMember says the member is outside.
    [Fact]
    public async Task Issue14_Defect9_a_duplicate_join_request_after_the_approval_gets_no_reentry_button()
    {
        await using var host = new TelegramTestHost();
        host.Api.TrackMembership = true;
        await FaultScenarios.ActivateAsync(host);
        await FaultScenarios.PressAsync(host);
        await FaultScenarios.PressAsync(host);
        var link = Assert.Single(FaultScenarios.Last(host).Urls);
        await FaultScenarios.JoinAsync(host, link);
        Assert.Equal("member", host.Api.ChatMemberStatus(Member));
        var approved = host.Api.LastSequence;

        await FaultScenarios.JoinAsync(host, link);   // the same request delivered again

        Assert.Single(host.Api.Calls("approveChatJoinRequest"));
        var asked = Assert.Single(host.Api.Calls("getChatMember"), c => c.Sequence > approved);
        Assert.Equal(Member, asked.Number("user_id"));
        var notice = Assert.Single(host.Api.Succeeded("sendMessage"), c => c.Sequence > approved);
        Assert.Empty(notice.CallbackData);
        Assert.Empty(notice.Urls);
        Assert.True(asked.Sequence < notice.Sequence);
        Assert.DoesNotContain(host.Api.Calls("createChatInviteLink"), c => c.Sequence > approved);
        Assert.Equal(VipEntryStage.Completed, (await host.StatusAsync(Member)).Stage);
    }
}
