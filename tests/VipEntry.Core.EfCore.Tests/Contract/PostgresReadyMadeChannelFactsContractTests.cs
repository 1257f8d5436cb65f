using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class PostgresReadyMadeChannelFactsContractTests(PostgresReadyMadeBackend backend) : ChannelFactsContractTests<PostgresReadyMadeBackend>(backend);
