namespace VipEntry.Core.EfCore.Tests.Infrastructure;

public sealed class PostgresLegacyBackend() : LegacyBackend(DatabaseEngine.Postgres);
