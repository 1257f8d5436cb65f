using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class InMemoryStoreContractTests(InMemoryBackend backend) : VipEntryStoreContractTests<InMemoryBackend>(backend);

public sealed class SqliteReadyMadeStoreContractTests(SqliteReadyMadeBackend backend) : VipEntryStoreContractTests<SqliteReadyMadeBackend>(backend);

public sealed class SqliteHostEntityStoreContractTests(SqliteLegacyBackend backend) : VipEntryStoreContractTests<SqliteLegacyBackend>(backend);

public sealed class PostgresReadyMadeStoreContractTests(PostgresReadyMadeBackend backend) : VipEntryStoreContractTests<PostgresReadyMadeBackend>(backend);

public sealed class PostgresHostEntityStoreContractTests(PostgresLegacyBackend backend) : VipEntryStoreContractTests<PostgresLegacyBackend>(backend);
