using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Concurrency;

[Collection(HeavyPostgres.Name)]
public sealed class PostgresHostEntityConcurrencyTests(PostgresLegacyBackend backend) : ConcurrencyTests<PostgresLegacyBackend>(backend);
