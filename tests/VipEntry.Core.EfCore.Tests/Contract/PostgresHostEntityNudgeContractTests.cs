using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class PostgresHostEntityNudgeContractTests(PostgresLegacyBackend backend) : NudgeContractTests<PostgresLegacyBackend>(backend);
