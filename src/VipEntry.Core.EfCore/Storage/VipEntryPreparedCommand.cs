using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace VipEntry.Core.EfCore;

/// <summary>
/// One of the store's single-row statements on PostgreSQL, run through EF's relational command pipeline as any other
/// (the host's interceptors and logging see it, it joins the current transaction), whose <see cref="DbCommand"/> is
/// prepared before it runs. Npgsql's explicit preparation is persistent per physical connection and keyed by the text: the
/// first call on a connection prepares it (one round trip), every later call, from any <see cref="DbCommand"/> instance,
/// finds it prepared and only binds and executes, so the server parses and plans it once per connection instead of on
/// every call, whatever the host's connection string says about automatic preparation.
/// </summary>
/// <remarks>The store opens the connection before executing (see the store's execution path), so it is open here.</remarks>
internal sealed class VipEntryPreparedCommand(
    RelationalCommandBuilderDependencies dependencies,
    string commandText,
    string logCommandText,
    IReadOnlyList<IRelationalParameter> parameters)
    : RelationalCommand(dependencies, commandText, logCommandText, parameters)
{
    /// <inheritdoc />
    public override DbCommand CreateDbCommand(RelationalCommandParameterObject parameterObject, Guid commandId, DbCommandMethod commandMethod)
    {
        var command = base.CreateDbCommand(parameterObject, commandId, commandMethod);
        if (command.Connection is { State: ConnectionState.Open })
        {
            command.Prepare();
        }

        return command;
    }
}
