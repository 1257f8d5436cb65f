using Telegram.Bot.Types;
using VipEntry.Core.Telegram;

namespace VipEntry.DocSnippets;

/// <summary>docs/telegram.md and the package README, "When a member pays".</summary>
public static class TelegramWhenAMemberPays
{
    /// <summary>The fragment, with what it names from the host as parameters.</summary>
    public static async Task Fragment(IVipEntryTelegram vip, User from, long userId, DateTimeOffset paidUntil, CancellationToken ct)
    {
        #region when-a-member-pays
        // You have the member's Telegram User (a /start <code>, Telegram's successful_payment): texts in their language_code.
        await vip.ActivateAsync(from, paidUntil, ct);

        // You have only an id (your payment provider's webhook, an admin's "/paid <id> <days>", a job):
        await vip.ActivateAsync(userId, paidUntil, cancellationToken: ct);     // stage 1 is sent to the member's private chat
        await vip.ShowStepAsync(userId, cancellationToken: ct);                // where the member is, sent by id
        #endregion
    }
}
