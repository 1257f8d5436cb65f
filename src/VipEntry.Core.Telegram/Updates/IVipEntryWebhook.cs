using Telegram.Bot.Types;

namespace VipEntry.Core.Telegram;

/// <summary>
/// A webhook served by several replicas: each delivered <see cref="Update"/> is handled once, whichever replica gets it
/// and however often Telegram delivers it. The update is claimed in VipEntry's store (<c>IVipEntryUpdateClaims</c>: the
/// EF Core store's own table, or memory) under a lease (<see cref="VipEntryTelegramOptions.WebhookUpdateLease"/>), handled
/// by the host's handler, then marked done; done claims older than <see cref="VipEntryTelegramOptions.WebhookClaimRetention"/>
/// are purged along the way, in bounded batches. Scoped: resolve it from the request's scope.
/// </summary>
public interface IVipEntryWebhook
{
    /// <summary>
    /// Claims <paramref name="update"/>, runs <paramref name="handler"/> on it when claimed here (the host's whole handling,
    /// typically <see cref="IVipEntryTelegram.HandleUpdateAsync"/> and then its own), and marks it done. When the handler
    /// throws, the claim is given back (the next delivery is handled at once, here or elsewhere) and the exception propagates:
    /// answer 500. Answer the result with <see cref="VipEntryWebhookResultExtensions.ToHttpStatusCode"/>.
    /// </summary>
    /// <param name="update">The update, as Telegram posted it.</param>
    /// <param name="handler">Handles the update (replies sent before it returns).</param>
    /// <param name="cancellationToken">Cancels the work (not the request's abort token: Telegram may hang up while the update is handled).</param>
    /// <returns>What was done, and so the HTTP status.</returns>
    ValueTask<VipEntryWebhookResult> ProcessAsync(Update update, Func<Update, CancellationToken, Task> handler, CancellationToken cancellationToken = default);
}
