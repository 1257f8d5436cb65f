using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Faults;

public sealed class PostgresPaymentFaultTests(PostgresReadyMadeBackend backend) : PaymentFaultTests<PostgresReadyMadeBackend>(backend);
