using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class PostgresReadyMadeNudgeContractTests(PostgresReadyMadeBackend backend) : NudgeContractTests<PostgresReadyMadeBackend>(backend);
