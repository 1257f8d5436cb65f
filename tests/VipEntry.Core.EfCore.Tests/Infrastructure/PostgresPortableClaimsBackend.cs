namespace VipEntry.Core.EfCore.Tests.Infrastructure;

public sealed class PostgresPortableClaimsBackend() : PortableClaimsBackend(DatabaseEngine.Postgres);
