using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace VipEntry.Load.Storage;

/// <summary>
/// The model VIP chat's statements (table <c>load_channel</c>, the same SQL on PostgreSQL and SQLite). Each is one
/// atomic statement, so processes writing at once, or killed between two statements, never leave a half-written row.
/// </summary>
public static class LoadChannelTable
{
    /// <summary>The person joins unless a ban stands; counts one report owed. Whether they are inside now.</summary>
    public static async Task<bool> JoinAsync(LoadDbContext db, long userId) =>
        await ScalarAsync(
            db,
            """
            INSERT INTO load_channel (user_id, inside, banned, pending, version) VALUES (@id, TRUE, FALSE, 1, 1)
            ON CONFLICT (user_id) DO UPDATE SET inside = TRUE, pending = load_channel.pending + 1, version = load_channel.version + 1
            WHERE NOT load_channel.banned
            RETURNING inside
            """,
            userId).ConfigureAwait(false) is not null;

    /// <summary>The person leaves when inside; counts one report owed. Whether they were inside.</summary>
    public static async Task<bool> LeaveAsync(LoadDbContext db, long userId) =>
        await ScalarAsync(
            db,
            "UPDATE load_channel SET inside = FALSE, pending = pending + 1, version = version + 1 WHERE user_id = @id AND inside RETURNING user_id",
            userId).ConfigureAwait(false) is not null;

    /// <summary>A reporter is done (its report, and any re-check, landed in the engine).</summary>
    public static Task ReportedAsync(LoadDbContext db, long userId) =>
        ScalarAsync(db, "UPDATE load_channel SET pending = pending - 1 WHERE user_id = @id AND pending > 0 RETURNING user_id", userId);

    /// <summary>Keep-out removal, first half: out and banned (Telegram's banChatMember).</summary>
    public static Task BanAsync(LoadDbContext db, long userId) =>
        ScalarAsync(
            db,
            """
            INSERT INTO load_channel (user_id, inside, banned, pending, version) VALUES (@id, FALSE, TRUE, 0, 1)
            ON CONFLICT (user_id) DO UPDATE SET inside = FALSE, banned = TRUE, version = load_channel.version + 1
            RETURNING user_id
            """,
            userId);

    /// <summary>Lifts a ban (unbanChatMember); also the second half of a keep-out removal.</summary>
    public static Task UnbanAsync(LoadDbContext db, long userId) =>
        ScalarAsync(db, "UPDATE load_channel SET banned = FALSE, version = version + 1 WHERE user_id = @id RETURNING user_id", userId);

    /// <summary>Removal of someone who pays: out, and no ban left.</summary>
    public static Task RemoveWithoutBanAsync(LoadDbContext db, long userId) =>
        ScalarAsync(
            db,
            """
            INSERT INTO load_channel (user_id, inside, banned, pending, version) VALUES (@id, FALSE, FALSE, 0, 1)
            ON CONFLICT (user_id) DO UPDATE SET inside = FALSE, banned = FALSE, version = load_channel.version + 1
            RETURNING user_id
            """,
            userId);

    public static async Task<bool> IsInsideAsync(LoadDbContext db, long userId) =>
        await ScalarAsync(db, "SELECT inside FROM load_channel WHERE user_id = @id", userId).ConfigureAwait(false) is { } inside
        && Convert.ToBoolean(inside, CultureInfo.InvariantCulture);

    /// <summary>People with a membership change whose report may not have landed (its reporter was killed).</summary>
    public static async Task<List<long>> PendingAsync(LoadDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Set<LoadChannelRow>().AsNoTracking().Where(r => r.Pending > 0).Select(r => r.UserId).ToListAsync().ConfigureAwait(false);
    }

    /// <summary>The drain's redelivery is done: nothing owed for this person any more.</summary>
    public static Task ClearPendingAsync(LoadDbContext db, long userId) =>
        ScalarAsync(db, "UPDATE load_channel SET pending = 0 WHERE user_id = @id RETURNING user_id", userId);

    private static async Task<object?> ScalarAsync(LoadDbContext db, string sql, long userId)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.OpenConnectionAsync().ConfigureAwait(false);
        try
        {
            await using DbCommand command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            var id = command.CreateParameter();
            id.ParameterName = "@id";
            id.Value = userId;
            command.Parameters.Add(id);
            var value = await command.ExecuteScalarAsync().ConfigureAwait(false);
            return value is DBNull ? null : value;
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }
}
