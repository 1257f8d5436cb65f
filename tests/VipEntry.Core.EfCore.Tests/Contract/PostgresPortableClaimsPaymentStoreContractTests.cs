using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class PostgresPortableClaimsPaymentStoreContractTests(PostgresPortableClaimsBackend backend) : PaymentStoreContractTests<PostgresPortableClaimsBackend>(backend);
