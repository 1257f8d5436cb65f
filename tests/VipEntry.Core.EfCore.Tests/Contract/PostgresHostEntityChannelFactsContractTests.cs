using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class PostgresHostEntityChannelFactsContractTests(PostgresLegacyBackend backend) : ChannelFactsContractTests<PostgresLegacyBackend>(backend);
