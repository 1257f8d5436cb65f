using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class PostgresHostEntityStoreContractTests(PostgresLegacyBackend backend) : VipEntryStoreContractTests<PostgresLegacyBackend>(backend);
