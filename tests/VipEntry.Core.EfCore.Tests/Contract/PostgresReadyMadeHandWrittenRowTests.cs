using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class PostgresReadyMadeHandWrittenRowTests(PostgresReadyMadeBackend backend) : HandWrittenRowTests<PostgresReadyMadeBackend>(backend);
