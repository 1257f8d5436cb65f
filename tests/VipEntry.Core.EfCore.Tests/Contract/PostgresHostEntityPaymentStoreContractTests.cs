using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class PostgresHostEntityPaymentStoreContractTests(PostgresLegacyBackend backend) : PaymentStoreContractTests<PostgresLegacyBackend>(backend);
