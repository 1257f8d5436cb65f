using Microsoft.Data.Sqlite;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>A SQLite file database in WAL mode with a busy timeout, so separate connections can race on it.</summary>
public sealed class SqliteDatabase : IDisposable
{
    public SqliteDatabase()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"vipentry-{Guid.NewGuid():N}.db");
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = command.ExecuteScalar() as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite did not switch to WAL (got {mode}).");
        }
    }

    public string Path { get; }

    // Default Timeout is also the busy timeout: a writer waits for the lock instead of failing with SQLITE_BUSY.
    public string ConnectionString => $"Data Source={Path};Default Timeout=30;Pooling=True";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path + suffix);
        }
    }
}
