using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class SqliteHostEntityHandWrittenRowTests(SqliteLegacyBackend backend) : HandWrittenRowTests<SqliteLegacyBackend>(backend);
