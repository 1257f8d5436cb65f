using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Concurrency;

public sealed class SqliteConcurrencyTests(SqliteReadyMadeBackend backend) : ConcurrencyTests<SqliteReadyMadeBackend>(backend);
