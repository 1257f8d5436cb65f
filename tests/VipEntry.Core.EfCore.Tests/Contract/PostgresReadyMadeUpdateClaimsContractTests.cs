using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class PostgresReadyMadeUpdateClaimsContractTests(PostgresReadyMadeBackend backend) : UpdateClaimsContractTests<PostgresReadyMadeBackend>(backend);
