using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class SqliteHostEntityPaymentStoreContractTests(SqliteLegacyBackend backend) : PaymentStoreContractTests<SqliteLegacyBackend>(backend);
