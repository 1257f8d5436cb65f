namespace VipEntry.Core.Telegram.Tests.Support;

/// <summary>The store a <see cref="TelegramTestHost"/> runs the engine on.</summary>
public enum TestStore
{
    /// <summary>The package's in-memory store.</summary>
    InMemory,

    /// <summary>The EF Core store on SQLite (an in-memory database on one open connection, one per host).</summary>
    Sqlite,
}
