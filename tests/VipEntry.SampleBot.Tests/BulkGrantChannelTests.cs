using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Telegram.Testing;

namespace VipEntry.SampleBot.Tests;

/// <summary>
/// Issue 14, defects 4 and 5: the sample's <c>/grant</c> did its own channel work for the bulk renewal — ban + unban of
/// the renewed members it thought were inside (a failed unban left a payer banned), and no lift of a ban a failed worker
/// removal had left. Now the sample calls the engine, which records what is owed (R19), and VipEntry's channel worker does
/// it: a payer is removed with one unban that never bans, and a ban that may stand on them is lifted. Through the real
/// command, on Telegram mode against the fake Bot API.
/// </summary>
public sealed class BulkGrantChannelTests
{
    private const long Member = 42;
    private const long AdminId = TelegramBotHarness.AdminId;
    private const long VipChatId = TelegramBotHarness.VipChatId;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Issue14_Defect4_grant_never_bans_a_member_it_renewed_and_removes_them_without_a_ban()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bot = new TelegramBotHarness(clock);
        await bot.StartAsync();
        await JoinAsync(bot, Member, Assert.Single((await bot.ReachLinkAsync(Member)).Urls));

        // The subscription ends and no sweep has taken the lapse in hand: the member is still inside.
        await EndAsync(bot, Member);

        var before = await bot.SayAsync(AdminId, "/grant 30 42");
        await bot.ReplyToAsync(AdminId, before, c => c.Text("text")!.Contains("Granted 30 days to 1 members", StringComparison.Ordinal));

        // They had lapsed, so the renewal restarts them: they must leave and walk the ritual again (R2), and the worker
        // removes them the way a payer is removed — one unbanChatMember without only_if_banned — never with a ban.
        var removal = await bot.Api.WaitForCallAsync("unbanChatMember", c => c.Number("user_id") == Member, Timeout, before);
        Assert.NotEqual(true, removal.Bool("only_if_banned"));
        Assert.False(removal.Failed);
        Assert.Empty(bot.Api.Calls("banChatMember"));
        var status = await StatusAsync(bot, Member);
        Assert.Equal(VipEntryStage.ActivationConfirmation, status.Stage);
        Assert.True(status.IsActive);

        // Later cycles have nothing more to do for them.
        clock.Advance(TimeSpan.FromMinutes(11));
        await bot.SweepAsync();
        Assert.Empty(bot.Api.Calls("banChatMember"));
        Assert.Single(bot.Api.Calls("unbanChatMember"), c => c.Number("user_id") == Member);
    }

    [Fact]
    public async Task Issue14_Defect5_grant_lifts_the_ban_a_failed_worker_removal_left_on_a_member_it_renewed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bot = new TelegramBotHarness(clock);
        await bot.StartAsync();
        await JoinAsync(bot, Member, Assert.Single((await bot.ReachLinkAsync(Member)).Urls));

        // The subscription ends; the worker's removal bans them, and its unban fails: a ban is left.
        await EndAsync(bot, Member);
        bot.Api.FailNext("unbanChatMember", 500, "Internal Server Error");
        await bot.SweepAsync();
        Assert.False(Assert.Single(bot.Api.Calls("banChatMember")).Failed);
        Assert.True(Assert.Single(bot.Api.Calls("unbanChatMember")).Failed);

        // The admin grants them 30 days: the worker lifts the ban (the payer's removal is an unban without only_if_banned,
        // which lifts it), so the member can join again after walking the ritual.
        var before = await bot.SayAsync(AdminId, "/grant 30 42");
        await bot.ReplyToAsync(AdminId, before, c => c.Text("text")!.Contains("Granted 30 days to 1 members", StringComparison.Ordinal));
        var lift = await bot.Api.WaitForCallAsync("unbanChatMember", c => c.Number("user_id") == Member && !c.Failed, Timeout, before);
        Assert.NotEqual(true, lift.Bool("only_if_banned"));
        Assert.Single(bot.Api.Calls("banChatMember"));

        // They walk the ritual and are let in with their new link.
        before = bot.Api.LastSequence;
        await bot.SayAsync(Member, "/start");
        await bot.ReplyToAsync(Member, before, c => c.CallbackData.Contains("vipe:1:1"));
        before = bot.Api.LastSequence;
        await bot.PressAsync(Member, "vipe:1:1");
        await bot.ReplyToAsync(Member, before, c => c.CallbackData.Contains("vipe:1:2"));
        before = bot.Api.LastSequence;
        await bot.PressAsync(Member, "vipe:1:2");
        var link = Assert.Single((await bot.ReplyToAsync(Member, before, c => c.Urls.Count == 1)).Urls);
        await JoinAsync(bot, Member, link);
        Assert.True((await StatusAsync(bot, Member)).IsEntitled);
    }

    private static async Task EndAsync(TelegramBotHarness bot, long userId)
    {
        await using var scope = bot.Services.CreateAsyncScope();
        Assert.Equal(VipEntryOutcome.SubscriptionEnded, (await scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>().EndSubscriptionAsync(userId, Ct)).Outcome);
    }

    private static async Task JoinAsync(TelegramBotHarness bot, long userId, string link)
    {
        var before = bot.Api.LastSequence;
        await bot.SendAsync(TelegramUpdates.JoinRequest(VipChatId, userId, link));
        await bot.Api.WaitForCallAsync("approveChatJoinRequest", c => c.Number("user_id") == userId, Timeout, before);
        await bot.ReplyToAsync(userId, before, c => c.Text("text")!.Contains("Welcome", StringComparison.Ordinal));
    }

    private static async Task<VipEntryStatus> StatusAsync(TelegramBotHarness bot, long userId)
    {
        await using var scope = bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IVipEntryStateMachine>().GetStatusAsync(userId, Ct);
    }
}
