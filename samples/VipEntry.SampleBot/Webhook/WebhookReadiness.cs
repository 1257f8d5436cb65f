namespace VipEntry.SampleBot.Webhook;

/// <summary>Whether <c>setWebhook</c> has succeeded (for <c>/healthz</c>).</summary>
internal sealed class WebhookReadiness
{
    private volatile bool _set;

    public bool IsSet
    {
        get => _set;
        set => _set = value;
    }
}
