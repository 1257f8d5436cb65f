using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class SqliteReadyMadeUpdateClaimsContractTests(SqliteReadyMadeBackend backend) : UpdateClaimsContractTests<SqliteReadyMadeBackend>(backend);
