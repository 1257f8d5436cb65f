namespace VipEntry.Core.EfCore.Tests.Infrastructure;

public sealed class SqliteReadyMadeBackend() : ReadyMadeBackend(DatabaseEngine.Sqlite);
