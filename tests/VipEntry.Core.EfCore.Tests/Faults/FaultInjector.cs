using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Faults;

/// <summary>
/// Fails the k-th command EF Core sends (counting only while not <see cref="Paused"/>), once, in the way <see cref="Kind"/>
/// says; every other command runs untouched. Counts every command, so a fault-free run tells how many fault points there are.
/// With <see cref="Match"/> set, only the commands it accepts are counted and can fail (one statement of one store method).
/// </summary>
public sealed class FaultInjector(DatabaseEngine engine, string connectionString) : DbCommandInterceptor
{
    private readonly Lock _gate = new();
    private DbCommand? _lostReply;

    /// <summary>Commands seen so far (while not paused).</summary>
    public int Count { get; private set; }

    /// <summary>The 1-based command to fail; 0 for none.</summary>
    public int FailAt { get; private set; }

    public FaultKind Kind { get; private set; }

    /// <summary>Whether the fault has been injected.</summary>
    public bool Fired { get; private set; }

    /// <summary>The SQL of the failed command.</summary>
    public string? FiredSql { get; private set; }

    /// <summary>While set, commands are neither counted nor failed (test setup and state snapshots).</summary>
    public bool Paused { get; set; }

    /// <summary>When set, only the commands it accepts are counted and failed; every other command runs untouched.</summary>
    public Func<DbCommand, bool>? Match { get; set; }

    public void Arm(int failAt, FaultKind kind)
    {
        lock (_gate)
        {
            Count = 0;
            FailAt = failAt;
            Kind = kind;
            Fired = false;
            FiredSql = null;
            _lostReply = null;
        }
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await BeforeAsync(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await BeforeAsync(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await BeforeAsync(command);
        return result;
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (TakeLostReply(command))
        {
            await result.DisposeAsync();
            throw LostReplyException();
        }

        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default) =>
        TakeLostReply(command) ? throw LostReplyException() : ValueTask.FromResult(result);

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default) =>
        TakeLostReply(command) ? throw LostReplyException() : ValueTask.FromResult(result);

    // The store is asynchronous throughout; a synchronous command would escape the count, so it is refused loudly.
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        Paused ? result : throw new InvalidOperationException("A synchronous command was sent: " + command.CommandText);

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        Paused ? result : throw new InvalidOperationException("A synchronous command was sent: " + command.CommandText);

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        Paused ? result : throw new InvalidOperationException("A synchronous command was sent: " + command.CommandText);

    private async Task BeforeAsync(DbCommand command)
    {
        if (!Paused && Match is { } match && !match(command))
        {
            return;
        }

        lock (_gate)
        {
            if (Paused || Fired)
            {
                if (!Paused)
                {
                    Count++;
                }

                return;
            }

            Count++;
            if (Count != FailAt)
            {
                return;
            }

            Fired = true;
            FiredSql = command.CommandText;
            if (Kind == FaultKind.LostReply)
            {
                _lostReply = command;
                return;
            }
        }

        switch (Kind)
        {
            case FaultKind.Error:
                throw engine == DatabaseEngine.Sqlite
                    ? new SqliteException("injected fault: SQL logic error", 1)
                    : new PostgresException("injected fault", "ERROR", "ERROR", "XX000");
            case FaultKind.Timeout:
                throw engine == DatabaseEngine.Sqlite
                    ? new SqliteException("injected fault: database is locked", 5)
                    : new NpgsqlException("Exception while reading from stream", new TimeoutException("injected fault: timeout during reading attempt"));
            case FaultKind.DroppedConnection when engine == DatabaseEngine.Sqlite:
                // The command meets a closed connection, as after the file or the process holding it went away.
                await command.Connection!.CloseAsync();
                return;
            case FaultKind.DroppedConnection:
                await TerminateAsync(((NpgsqlConnection)command.Connection!).ProcessID);
                return;
        }
    }

    private bool TakeLostReply(DbCommand command)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_lostReply, command))
            {
                return false;
            }

            _lostReply = null;
            return true;
        }
    }

    private Exception LostReplyException() => engine == DatabaseEngine.Sqlite
        ? new SqliteException("injected fault: disk I/O error after the statement ran", 10)
        : new NpgsqlException("Exception while reading from stream", new EndOfStreamException("injected fault: the connection closed after the statement ran"));

    // Ends the server process behind the command's connection, and waits until it is gone, so the command surely meets
    // a dead connection (and surely does not run).
    private async Task TerminateAsync(int processId)
    {
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "vipentry-fault-admin", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using (var kill = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", connection))
        {
            kill.Parameters.AddWithValue("pid", processId);
            if (await kill.ExecuteScalarAsync() is not true)
            {
                throw new InvalidOperationException($"Could not terminate server process {processId}.");
            }
        }

        for (var attempt = 0; attempt < 500; attempt++)
        {
            await using var probe = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE pid = @pid", connection);
            probe.Parameters.AddWithValue("pid", processId);
            if ((long)(await probe.ExecuteScalarAsync())! == 0)
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"Server process {processId} did not end.");
    }
}
