using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class SqliteHostEntityNudgeContractTests(SqliteLegacyBackend backend) : NudgeContractTests<SqliteLegacyBackend>(backend);
