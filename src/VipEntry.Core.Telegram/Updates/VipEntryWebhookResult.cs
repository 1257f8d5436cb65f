namespace VipEntry.Core.Telegram;

/// <summary>What <see cref="IVipEntryWebhook.ProcessAsync"/> did with a delivered update, and so what the webhook answers.</summary>
public enum VipEntryWebhookResult
{
    /// <summary>Claimed here, handled, and marked done: answer 200.</summary>
    Processed = 0,

    /// <summary>Handled before (a retry, or another replica's delivery): not handled again; answer 200.</summary>
    AlreadyDone = 1,

    /// <summary>Another replica is handling it now (its lease has not run out): not handled here; answer 409, and Telegram retries it.</summary>
    HeldElsewhere = 2,
}
