using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Health;

namespace VipEntry.SampleBot.Webhook;

/// <summary>Webhook mode: the endpoint, <c>/healthz</c>, <c>setWebhook</c> at start, and the database claims of updates.</summary>
internal static class WebhookRegistration
{
    public static void AddWebhook(this IServiceCollection services)
    {
        services.AddSingleton<WebhookReadiness>();
        services.AddSingleton<WebhookEndpoint>();
        services.AddHostedService<WebhookSetup>();

        // /healthz (issue 15): the sample's readiness, and VipEntry's "the store answers" and "the channel worker completed
        // a cycle recently" (within three Bot__SweepInterval).
        services.AddHealthChecks()
            .AddCheck<WebhookReadinessCheck>("webhook")
            .AddVipEntryChecks();
    }

    /// <summary>Maps <c>POST</c> on <paramref name="path"/> (the webhook URL's path) and <c>GET /healthz</c>.</summary>
    public static void MapWebhook(this WebApplication app, string path)
    {
        app.MapPost(path, (HttpContext http, WebhookEndpoint endpoint) => endpoint.HandleAsync(http));

        // 200 (Healthy or Degraded) once the schema is ready, Telegram knows where to post, the store answers and the channel
        // worker is not stuck; 503 (Unhealthy) otherwise: what a load balancer waits for.
        app.MapHealthChecks("/healthz");
    }
}
