using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace VipEntry.Core.EfCore;

/// <summary>
/// One statement that may hit a primary key or unique index, for every EF store of VipEntry. A violation means "someone else
/// holds that value" (<see langword="false"/>) when the conflicting row is there to see; any other database error is not
/// ours to hide and propagates. Inside the host's own transaction the statement runs under a savepoint: on PostgreSQL a
/// failed statement aborts the whole transaction, which would make the follow-up read throw and lose the host's work;
/// rolling back to the savepoint keeps it.
/// </summary>
internal static class UniqueWrite
{
    /// <summary>Runs <paramref name="write"/>; on a database error, <see langword="false"/> if <paramref name="takenByAnother"/> sees the conflicting row, else rethrows.</summary>
    /// <param name="context">The store's context (its current transaction, if any, gets the savepoint).</param>
    /// <param name="savepoint">The savepoint's name.</param>
    /// <param name="write">The statement; <see langword="true"/> when it changed the row it meant to.</param>
    /// <param name="takenByAnother">Whether the conflicting row is there.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>What <paramref name="write"/> said, or <see langword="false"/> when another holds the value.</returns>
    public static async ValueTask<bool> UnlessTakenAsync(DbContext context, string savepoint, Func<Task<bool>> write, Func<ValueTask<bool>> takenByAnother, CancellationToken cancellationToken)
    {
        var transaction = context.Database.CurrentTransaction;
        var guarded = transaction is { SupportsSavepoints: true };
        if (guarded)
        {
            await transaction!.CreateSavepointAsync(savepoint, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var changed = await write().ConfigureAwait(false);
            if (guarded)
            {
                await transaction!.ReleaseSavepointAsync(savepoint, CancellationToken.None).ConfigureAwait(false);
            }

            return changed;
        }
        catch (DbException)
        {
            if (guarded)
            {
                await transaction!.RollbackToSavepointAsync(savepoint, CancellationToken.None).ConfigureAwait(false);
            }

            if (await takenByAnother().ConfigureAwait(false))
            {
                return false;
            }

            throw;
        }
    }
}
