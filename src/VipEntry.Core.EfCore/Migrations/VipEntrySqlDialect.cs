namespace VipEntry.Core.EfCore;

/// <summary>The SQL dialects of the upgrade and rollback scripts.</summary>
public enum VipEntrySqlDialect
{
    /// <summary>SQLite 3.35 or later (for <c>DROP COLUMN</c>).</summary>
    Sqlite,

    /// <summary>PostgreSQL 11 or later.</summary>
    PostgreSql,

    /// <summary>SQL Server 2016 or later.</summary>
    SqlServer,
}
