using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class SqliteReadyMadeNudgeContractTests(SqliteReadyMadeBackend backend) : NudgeContractTests<SqliteReadyMadeBackend>(backend);
