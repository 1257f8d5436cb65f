using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class SqliteReadyMadePaymentStoreContractTests(SqliteReadyMadeBackend backend) : PaymentStoreContractTests<SqliteReadyMadeBackend>(backend);
