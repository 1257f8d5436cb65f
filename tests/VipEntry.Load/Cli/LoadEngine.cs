namespace VipEntry.Load.Cli;

/// <summary>The database engine the run uses.</summary>
public enum LoadEngine
{
    /// <summary>One PostgreSQL database shared by every process (the scale-out path).</summary>
    Postgres,

    /// <summary>One SQLite file in WAL mode with a busy timeout, shared by every process.</summary>
    Sqlite,
}
