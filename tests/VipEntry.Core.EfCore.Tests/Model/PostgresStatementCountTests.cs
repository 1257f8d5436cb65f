using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Model;

public sealed class PostgresStatementCountTests(PostgresReadyMadeBackend backend) : StatementCountTests<PostgresReadyMadeBackend>(backend);
