using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VipEntry.SampleBot.Configuration;

namespace VipEntry.SampleBot.Data;

/// <summary>What <see cref="UpdateClaims.TryClaimAsync"/> found.</summary>
public enum UpdateClaimState
{
    /// <summary>This replica holds the update now and processes it.</summary>
    Claimed,

    /// <summary>Another replica holds a live claim on it: not processed here; Telegram retries it later.</summary>
    Busy,

    /// <summary>Already processed: acknowledged without processing it again.</summary>
    Done,
}

/// <summary>
/// Exactly-once processing of webhook updates across replicas, in the database (table <c>telegram_updates</c>): a
/// replica claims an <c>update_id</c> in one statement (an upsert that takes a new row, or an unfinished one whose lease ran
/// out), processes it, then marks it done. A replica killed mid-update leaves a claim whose lease runs out, and the
/// update, redelivered by Telegram, is taken over by another replica; nothing is held in memory.
/// </summary>
/// <param name="db">The sample's database (PostgreSQL or SQLite; the SQL is the same on both).</param>
/// <param name="time">The clock.</param>
/// <param name="options">The lease.</param>
public sealed class UpdateClaims(SampleDbContext db, TimeProvider time, IOptions<BotOptions> options)
{
    private const string ClaimSql =
        "INSERT INTO telegram_updates (update_id, done, lease_until, owner) VALUES (@id, FALSE, @lease, @owner) " +
        "ON CONFLICT (update_id) DO UPDATE SET lease_until = excluded.lease_until, owner = excluded.owner " +
        "WHERE telegram_updates.done = FALSE AND telegram_updates.lease_until < @now " +
        "RETURNING owner";

    /// <summary>Claims <paramref name="updateId"/> for this replica, unless it is done or another replica's live claim holds it.</summary>
    /// <param name="updateId">Telegram's update_id.</param>
    /// <param name="cancellationToken">Cancels the statement.</param>
    /// <returns>What was found, and the claim's token when <see cref="UpdateClaimState.Claimed"/>.</returns>
    public async Task<(UpdateClaimState State, string? Token)> TryClaimAsync(long updateId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var token = Guid.NewGuid().ToString("N");
        var claimed = await ScalarAsync(
            ClaimSql,
            cancellationToken,
            ("@id", updateId),
            ("@lease", now + (long)options.Value.UpdateLease.TotalMilliseconds),
            ("@owner", token),
            ("@now", now));
        if (claimed is not null)
        {
            return (UpdateClaimState.Claimed, token);
        }

        var done = await ScalarAsync("SELECT done FROM telegram_updates WHERE update_id = @id", cancellationToken, ("@id", updateId));
        return (done is not null && Convert.ToBoolean(done, CultureInfo.InvariantCulture) ? UpdateClaimState.Done : UpdateClaimState.Busy, null);
    }

    /// <summary>Marks a claimed update processed: every later delivery of it is acknowledged without processing.</summary>
    /// <param name="updateId">The update.</param>
    /// <param name="token">The claim's token.</param>
    /// <param name="cancellationToken">Cancels the statement.</param>
    /// <returns>A task.</returns>
    public Task CompleteAsync(long updateId, string token, CancellationToken cancellationToken) =>
        ScalarAsync("UPDATE telegram_updates SET done = TRUE WHERE update_id = @id AND owner = @owner", cancellationToken, ("@id", updateId), ("@owner", token));

    /// <summary>Gives a claim back after a failure, so that Telegram's next delivery is processed at once, here or elsewhere.</summary>
    /// <param name="updateId">The update.</param>
    /// <param name="token">The claim's token.</param>
    /// <param name="cancellationToken">Cancels the statement.</param>
    /// <returns>A task.</returns>
    public Task ReleaseAsync(long updateId, string token, CancellationToken cancellationToken) =>
        ScalarAsync("UPDATE telegram_updates SET lease_until = 0 WHERE update_id = @id AND owner = @owner AND done = FALSE", cancellationToken, ("@id", updateId), ("@owner", token));

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using DbCommand command = db.Database.GetDbConnection().CreateCommand();
#pragma warning disable CA2100 // Constant SQL; every value is a parameter.
            command.CommandText = sql;
#pragma warning restore CA2100
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }

            var result = await command.ExecuteScalarAsync(cancellationToken);
            return result is DBNull ? null : result;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
