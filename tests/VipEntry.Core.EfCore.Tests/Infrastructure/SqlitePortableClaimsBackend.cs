namespace VipEntry.Core.EfCore.Tests.Infrastructure;

public sealed class SqlitePortableClaimsBackend() : PortableClaimsBackend(DatabaseEngine.Sqlite);
