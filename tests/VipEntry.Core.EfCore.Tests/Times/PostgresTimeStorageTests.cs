using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Times;

public sealed class PostgresTimeStorageTests(PostgresReadyMadeBackend backend) : TimeStorageTests<PostgresReadyMadeBackend>(backend);
