using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Faults;

public sealed class SqlitePaymentFaultTests(SqliteReadyMadeBackend backend) : PaymentFaultTests<SqliteReadyMadeBackend>(backend);
