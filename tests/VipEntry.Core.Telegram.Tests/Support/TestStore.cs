namespace VipEntry.Core.Telegram.Tests.Support;

/// <summary>The store a <see cref="TelegramTestHost"/> runs the engine on.</summary>
public enum TestStore
{
    /// <summary>The package's in-memory store.</summary>
    InMemory,

    /// <summary>The EF Core store on SQLite (an in-memory database on one open connection, one per host).</summary>
    Sqlite,

    /// <summary>The EF Core store on PostgreSQL (a database created for each host from <c>VIPENTRY_TEST_POSTGRES</c> and dropped after it; skipped without a server, failed on CI).</summary>
    Postgres,
}
