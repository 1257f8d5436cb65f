using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Faults;

public sealed class SqliteReadyMadeChannelFaultTests(SqliteReadyMadeBackend backend)
    : ChannelFaultTests<SqliteReadyMadeBackend, ReadyMadeContext, VipEntrySubscriber>(backend)
{
    protected override void AddStore(VipEntryBuilder builder) => builder.AddEntityFrameworkCoreStore<ReadyMadeContext>();
}

public sealed class SqliteHostEntityChannelFaultTests(SqliteLegacyBackend backend)
    : ChannelFaultTests<SqliteLegacyBackend, LegacyBotContext, LegacySubscriber>(backend)
{
    protected override void AddStore(VipEntryBuilder builder) => builder.AddEntityFrameworkCoreStore<LegacyBotContext, LegacySubscriber>();
}

public sealed class PostgresReadyMadeChannelFaultTests(PostgresReadyMadeBackend backend)
    : ChannelFaultTests<PostgresReadyMadeBackend, ReadyMadeContext, VipEntrySubscriber>(backend)
{
    protected override void AddStore(VipEntryBuilder builder) => builder.AddEntityFrameworkCoreStore<ReadyMadeContext>();
}

public sealed class PostgresHostEntityChannelFaultTests(PostgresLegacyBackend backend)
    : ChannelFaultTests<PostgresLegacyBackend, LegacyBotContext, LegacySubscriber>(backend)
{
    protected override void AddStore(VipEntryBuilder builder) => builder.AddEntityFrameworkCoreStore<LegacyBotContext, LegacySubscriber>();
}
