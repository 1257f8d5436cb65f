namespace VipEntry.Core.Telegram;

/// <summary>The webhook's HTTP answer to a <see cref="VipEntryWebhookResult"/>.</summary>
public static class VipEntryWebhookResultExtensions
{
    /// <summary>200 for <see cref="VipEntryWebhookResult.Processed"/> and <see cref="VipEntryWebhookResult.AlreadyDone"/>, 409 for <see cref="VipEntryWebhookResult.HeldElsewhere"/>.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The HTTP status code.</returns>
    public static int ToHttpStatusCode(this VipEntryWebhookResult result) =>
        result == VipEntryWebhookResult.HeldElsewhere ? 409 : 200;
}
