namespace VipEntry.Core.EfCore.Tests.Infrastructure;

public sealed class SqliteLegacyBackend() : LegacyBackend(DatabaseEngine.Sqlite);
