using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Concurrency;

public sealed class SqliteHostEntityConcurrencyTests(SqliteLegacyBackend backend) : ConcurrencyTests<SqliteLegacyBackend>(backend);
