using VipEntry.Core.Telegram.Tests.Support;

namespace VipEntry.Core.Telegram.Tests.Faults;

/// <summary>Transport faults (issue 10) at every Bot API call of the channel work (R8, R17) on every store (in-memory, SQLite, PostgreSQL): lapses, the renewal of a lapsed member, an intruder.</summary>
public sealed class ChannelWorkTransportFaultTests : TransportFaultTests
{
    public static TheoryData<string, string, BotApiFault, TestStore> Points => Matrix([TestStore.InMemory, TestStore.Sqlite, TestStore.Postgres], "lapse of a completed member holding a live link", "lapse at stage 3", "renewal of a lapsed member still inside", "an intruder joins");

    [Theory]
    [MemberData(nameof(Points))]
    public Task Issue10_a_failed_Bot_API_call_loses_nothing_and_the_member_or_worker_carries_on(string scenario, string method, BotApiFault fault, TestStore store) =>
        RunAsync(scenario, method, fault, store);
}
