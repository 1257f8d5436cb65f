using VipEntry.Core.Telegram.Tests.Support;

namespace VipEntry.Core.Telegram.Tests.Faults;

/// <summary>The fault matrix is complete: each scenario's declared fault points are exactly the calls it makes, and together they cover every Bot API method the package calls.</summary>
public sealed class FaultPointTests
{
    // Every Bot API method src/VipEntry.Core.Telegram calls (grep "call.RunAsync(" there).
    private static readonly string[] PackageMethods =
    [
        "createChatInviteLink", "approveChatJoinRequest", "declineChatJoinRequest", "revokeChatInviteLink", "banChatMember",
        "unbanChatMember", "sendMessage", "editMessageReplyMarkup", "answerCallbackQuery", "getChatMember",
    ];

    public static TheoryData<string> Scenarios => [.. FaultScenarios.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Issue10_each_fault_point_is_a_call_the_step_really_makes(string name)
    {
        var scenario = FaultScenarios.Named(name);
        await using var host = new TelegramTestHost(vipEntry: scenario.VipEntry);
        host.Api.TrackMembership = true;
        var link = await scenario.ArrangeAsync(host);
        var before = host.Api.LastSequence;

        await scenario.ActAsync(host, link);

        var made = host.Api.Calls().Where(c => c.Sequence > before).Select(c => c.Method).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(scenario.Methods.Order(StringComparer.Ordinal), made);
    }

    [Fact]
    public void Issue10_the_scenarios_cover_every_Bot_API_method_the_package_calls()
    {
        Assert.Equal(PackageMethods.Order(StringComparer.Ordinal), FaultScenarios.All.SelectMany(s => s.Methods).Distinct().Order(StringComparer.Ordinal));

        // The figure docs/reliability.md reports: fault points (a step's call) and, with five kinds each, faults injected.
        Assert.Equal(43, FaultScenarios.All.Sum(s => s.Methods.Length));
        Assert.Equal(5, Enum.GetValues<BotApiFault>().Length);
    }
}
