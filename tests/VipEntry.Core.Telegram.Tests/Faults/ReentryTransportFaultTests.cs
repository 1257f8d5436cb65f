using VipEntry.Core.Telegram.Tests.Support;

namespace VipEntry.Core.Telegram.Tests.Faults;

/// <summary>Transport faults (issue 10) at every Bot API call of re-entry (R16): /start outside the chat, the re-entry press, its join request.</summary>
public sealed class ReentryTransportFaultTests : TransportFaultTests
{
    public static TheoryData<string, string, BotApiFault, TestStore> Points => Matrix([TestStore.InMemory], "/start of a completed member outside the chat", "press re-entry", "join request with the re-entry link");

    [Theory]
    [MemberData(nameof(Points))]
    public Task Issue10_a_failed_Bot_API_call_loses_nothing_and_the_member_or_worker_carries_on(string scenario, string method, BotApiFault fault, TestStore store) =>
        RunAsync(scenario, method, fault, store);
}
