using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class SqlitePortableClaimsPaymentStoreContractTests(SqlitePortableClaimsBackend backend) : PaymentStoreContractTests<SqlitePortableClaimsBackend>(backend);
