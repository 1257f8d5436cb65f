using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Times;

public sealed class SqliteTimeStorageTests(SqliteReadyMadeBackend backend) : TimeStorageTests<SqliteReadyMadeBackend>(backend);
