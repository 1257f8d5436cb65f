namespace VipEntry.Core.EfCore.Tests.Infrastructure;

public sealed class SqliteConvertedIdBackend() : ConvertedIdBackend(DatabaseEngine.Sqlite);
