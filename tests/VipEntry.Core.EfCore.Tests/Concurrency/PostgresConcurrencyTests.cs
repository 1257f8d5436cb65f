using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Concurrency;

[Collection(HeavyPostgres.Name)]
public sealed class PostgresConcurrencyTests(PostgresReadyMadeBackend backend) : ConcurrencyTests<PostgresReadyMadeBackend>(backend);
