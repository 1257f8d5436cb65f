using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class SqliteHostEntityUpdateClaimsContractTests(SqliteLegacyBackend backend) : UpdateClaimsContractTests<SqliteLegacyBackend>(backend);
