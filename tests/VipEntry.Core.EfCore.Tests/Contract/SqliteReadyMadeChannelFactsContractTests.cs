using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class SqliteReadyMadeChannelFactsContractTests(SqliteReadyMadeBackend backend) : ChannelFactsContractTests<SqliteReadyMadeBackend>(backend);
