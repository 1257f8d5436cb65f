using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class PostgresReadyMadeStoreContractTests(PostgresReadyMadeBackend backend) : VipEntryStoreContractTests<PostgresReadyMadeBackend>(backend);
