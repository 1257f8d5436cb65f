using VipEntry.Core.Telegram.Tests.Support;

namespace VipEntry.Core.Telegram.Tests.Faults;

/// <summary>Transport faults (issue 10) at every Bot API call of the ritual's steps: activation, stage presses, stage 3 delivery, a reminder.</summary>
public sealed class RitualTransportFaultTests : TransportFaultTests
{
    public static TheoryData<string, string, BotApiFault, TestStore> Points => Matrix([TestStore.InMemory], "activate", "press stage 1", "press stage 2 (issues the link)", "/start at stage 3 after the link expired", "press new link (replaces the expired one)", "idle reminder");

    [Theory]
    [MemberData(nameof(Points))]
    public Task Issue10_a_failed_Bot_API_call_loses_nothing_and_the_member_or_worker_carries_on(string scenario, string method, BotApiFault fault, TestStore store) =>
        RunAsync(scenario, method, fault, store);
}
