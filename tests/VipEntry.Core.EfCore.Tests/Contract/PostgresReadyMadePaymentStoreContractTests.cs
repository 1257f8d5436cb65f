using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class PostgresReadyMadePaymentStoreContractTests(PostgresReadyMadeBackend backend) : PaymentStoreContractTests<PostgresReadyMadeBackend>(backend);
