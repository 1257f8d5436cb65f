using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class PostgresHostEntityUpdateClaimsContractTests(PostgresLegacyBackend backend) : UpdateClaimsContractTests<PostgresLegacyBackend>(backend);
