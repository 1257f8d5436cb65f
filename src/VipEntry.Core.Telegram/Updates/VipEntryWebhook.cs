using Microsoft.Extensions.Options;
using Telegram.Bot.Types;
using VipEntry.Core.Engine;
using VipEntry.Core.Storage;

namespace VipEntry.Core.Telegram;

/// <summary>The <see cref="IVipEntryWebhook"/> over <see cref="IVipEntryUpdateClaims"/>.</summary>
/// <param name="claims">The store's update claims.</param>
/// <param name="time">The clock.</param>
/// <param name="options">The lease and the retention.</param>
internal sealed class VipEntryWebhook(IVipEntryUpdateClaims claims, TimeProvider time, IOptions<VipEntryTelegramOptions> options) : IVipEntryWebhook
{
    /// <summary>The source key of Telegram updates in the claims.</summary>
    public const string Source = "telegram";

    // Update ids are consecutive: a bounded purge every PurgeEvery-th update keeps the table at about the retention's updates.
    private const int PurgeEvery = 64;
    private const int PurgeBatch = 256;

    /// <inheritdoc />
    public async ValueTask<VipEntryWebhookResult> ProcessAsync(Update update, Func<Update, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(handler);
        var o = options.Value;
        var now = VipEntryStateMachine.ToStorePrecision(time.GetUtcNow());
        var owner = Guid.NewGuid().ToString("N");
        var claim = await claims.TryClaimAsync(Source, update.Id, owner, now, now + o.WebhookUpdateLease, cancellationToken).ConfigureAwait(false);
        switch (claim)
        {
            case VipEntryUpdateClaim.AlreadyDone:
                return VipEntryWebhookResult.AlreadyDone;
            case VipEntryUpdateClaim.HeldElsewhere:
                return VipEntryWebhookResult.HeldElsewhere;
        }

        try
        {
            await handler(update, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await claims.ReleaseAsync(Source, update.Id, owner, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var doneAt = VipEntryStateMachine.ToStorePrecision(time.GetUtcNow());
        await claims.MarkDoneAsync(Source, update.Id, owner, doneAt, CancellationToken.None).ConfigureAwait(false);
        if (update.Id % PurgeEvery == 0)
        {
            await claims.PurgeAsync(doneAt - o.WebhookClaimRetention, PurgeBatch, CancellationToken.None).ConfigureAwait(false);
        }

        return VipEntryWebhookResult.Processed;
    }
}
