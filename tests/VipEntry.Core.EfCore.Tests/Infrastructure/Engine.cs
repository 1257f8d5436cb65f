namespace VipEntry.Core.EfCore.Tests.Infrastructure;

public enum Engine
{
    Sqlite,
    Postgres,
}
