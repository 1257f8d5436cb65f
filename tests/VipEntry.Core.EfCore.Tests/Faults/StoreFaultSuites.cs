using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Faults;

public sealed class SqliteReadyMadeStoreFaultTests(SqliteReadyMadeBackend backend)
    : StoreFaultTests<SqliteReadyMadeBackend, ReadyMadeContext, VipEntrySubscriber>(backend)
{
    protected override void AddStore(VipEntryBuilder builder) => builder.AddEntityFrameworkCoreStore<ReadyMadeContext>();
}

public sealed class SqliteHostEntityStoreFaultTests(SqliteLegacyBackend backend)
    : StoreFaultTests<SqliteLegacyBackend, LegacyBotContext, LegacySubscriber>(backend)
{
    protected override void AddStore(VipEntryBuilder builder) => builder.AddEntityFrameworkCoreStore<LegacyBotContext, LegacySubscriber>();
}

public sealed class PostgresReadyMadeStoreFaultTests(PostgresReadyMadeBackend backend)
    : StoreFaultTests<PostgresReadyMadeBackend, ReadyMadeContext, VipEntrySubscriber>(backend)
{
    protected override void AddStore(VipEntryBuilder builder) => builder.AddEntityFrameworkCoreStore<ReadyMadeContext>();
}

public sealed class PostgresHostEntityStoreFaultTests(PostgresLegacyBackend backend)
    : StoreFaultTests<PostgresLegacyBackend, LegacyBotContext, LegacySubscriber>(backend)
{
    protected override void AddStore(VipEntryBuilder builder) => builder.AddEntityFrameworkCoreStore<LegacyBotContext, LegacySubscriber>();
}
