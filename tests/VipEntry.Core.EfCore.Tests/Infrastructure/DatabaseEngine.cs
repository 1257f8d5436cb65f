namespace VipEntry.Core.EfCore.Tests.Infrastructure;

public enum DatabaseEngine
{
    Sqlite,
    Postgres,
}
