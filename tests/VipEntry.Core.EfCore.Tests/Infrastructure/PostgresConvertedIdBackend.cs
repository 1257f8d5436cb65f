namespace VipEntry.Core.EfCore.Tests.Infrastructure;

public sealed class PostgresConvertedIdBackend() : ConvertedIdBackend(DatabaseEngine.Postgres);
