using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class SqliteHostEntityChannelFactsContractTests(SqliteLegacyBackend backend) : ChannelFactsContractTests<SqliteLegacyBackend>(backend);
