using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class PostgresHostEntityHandWrittenRowTests(PostgresLegacyBackend backend) : HandWrittenRowTests<PostgresLegacyBackend>(backend);
