namespace VipEntry.Core.EfCore.Tests.Faults;

/// <summary>How the k-th database command fails.</summary>
public enum FaultKind
{
    /// <summary>The database answers with an error; the statement did not run.</summary>
    Error,

    /// <summary>The command times out (SQLite: busy timeout, "database is locked"; PostgreSQL: a read timeout); the statement did not run.</summary>
    Timeout,

    /// <summary>
    /// The connection is gone when the command is sent: on PostgreSQL its server process is really terminated
    /// (<c>pg_terminate_backend</c>), on SQLite the connection is closed under EF Core. The statement did not run.
    /// </summary>
    DroppedConnection,

    /// <summary>The statement ran and committed, but its answer never arrived: the caller sees a connection error.</summary>
    LostReply,
}
