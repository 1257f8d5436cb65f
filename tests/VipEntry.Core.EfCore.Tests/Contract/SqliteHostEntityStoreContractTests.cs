using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class SqliteHostEntityStoreContractTests(SqliteLegacyBackend backend) : VipEntryStoreContractTests<SqliteLegacyBackend>(backend);
