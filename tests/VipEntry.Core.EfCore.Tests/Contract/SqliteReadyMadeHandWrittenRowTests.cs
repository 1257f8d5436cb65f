using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class SqliteReadyMadeHandWrittenRowTests(SqliteReadyMadeBackend backend) : HandWrittenRowTests<SqliteReadyMadeBackend>(backend);
