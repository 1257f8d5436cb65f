using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Model;

public sealed class SqliteStatementCountTests(SqliteReadyMadeBackend backend) : StatementCountTests<SqliteReadyMadeBackend>(backend);
