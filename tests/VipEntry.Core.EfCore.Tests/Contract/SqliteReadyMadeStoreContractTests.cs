using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class SqliteReadyMadeStoreContractTests(SqliteReadyMadeBackend backend) : VipEntryStoreContractTests<SqliteReadyMadeBackend>(backend);
