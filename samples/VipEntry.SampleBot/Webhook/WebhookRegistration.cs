using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.SampleBot.Data;

namespace VipEntry.SampleBot.Webhook;

/// <summary>Webhook mode: the endpoint, <c>/healthz</c>, <c>setWebhook</c> at start, and the database claims of updates.</summary>
internal static class WebhookRegistration
{
    public static void AddWebhook(this IServiceCollection services)
    {
        services.AddSingleton<WebhookReadiness>();
        services.AddSingleton<WebhookEndpoint>();
        services.AddScoped<UpdateClaims>();
        services.AddHostedService<WebhookSetup>();
    }

    /// <summary>Maps <c>POST</c> on <paramref name="path"/> (the webhook URL's path) and <c>GET /healthz</c>.</summary>
    public static void MapWebhook(this WebApplication app, string path)
    {
        app.MapPost(path, (HttpContext http, WebhookEndpoint endpoint) => endpoint.HandleAsync(http));

        // 200 once the schema is ready and Telegram knows where to post: what a load balancer waits for.
        app.MapGet("/healthz", (DatabaseState database, WebhookReadiness webhook) =>
            database.IsReady && webhook.IsSet ? Results.Text("ok") : Results.Text("starting", statusCode: StatusCodes.Status503ServiceUnavailable));
    }
}
