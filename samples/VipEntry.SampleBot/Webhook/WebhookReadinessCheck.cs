using Microsoft.Extensions.Diagnostics.HealthChecks;
using VipEntry.SampleBot.Data;

namespace VipEntry.SampleBot.Webhook;

/// <summary>The sample's own readiness for <c>/healthz</c>: the schema is created and <c>setWebhook</c> has succeeded.</summary>
/// <param name="database">Whether the schema is ready.</param>
/// <param name="webhook">Whether Telegram knows where to post.</param>
internal sealed class WebhookReadinessCheck(DatabaseState database, WebhookReadiness webhook) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(database.IsReady && webhook.IsSet
            ? HealthCheckResult.Healthy("The schema is ready and the webhook is set.")
            : HealthCheckResult.Unhealthy(database.IsReady ? "Waiting for setWebhook." : "Creating the schema."));
}
