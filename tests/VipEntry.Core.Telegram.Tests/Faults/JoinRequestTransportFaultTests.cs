using VipEntry.Core.Telegram.Tests.Support;

namespace VipEntry.Core.Telegram.Tests.Faults;

/// <summary>Transport faults (issue 10) at every Bot API call of join requests: the owner, a forwarded link, an expired link.</summary>
public sealed class JoinRequestTransportFaultTests : TransportFaultTests
{
    public static TheoryData<string, string, BotApiFault, TestStore> Points => Matrix([TestStore.InMemory], "join request of the owner", "join request through a forwarded link", "join request through the owner's expired link");

    [Theory]
    [MemberData(nameof(Points))]
    public Task Issue10_a_failed_Bot_API_call_loses_nothing_and_the_member_or_worker_carries_on(string scenario, string method, BotApiFault fault, TestStore store) =>
        RunAsync(scenario, method, fault, store);
}
