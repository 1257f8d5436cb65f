using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;
using VipEntry.SampleBot.Configuration;
using VipEntry.Core.Telegram;
using VipEntry.SampleBot.Diagnostics;
using VipEntry.SampleBot.Telegram;

namespace VipEntry.SampleBot.Webhook;

/// <summary>
/// <c>POST</c> on the webhook's path: the secret header compared exactly, in constant time (401 without it), the body read
/// as an <see cref="Update"/> with Telegram.Bot's own JSON settings (400 when it is not one), the update claimed in
/// VipEntry's table (<see cref="IVipEntryWebhook"/>) so that a second delivery (a retry, another replica) is not processed
/// again, then processed with its replies sent before the 200: nothing is queued in memory, so a replica that dies loses no acknowledged update.
/// </summary>
/// <param name="handler">The bot's update handler.</param>
/// <param name="options">The secret.</param>
/// <param name="lifetime">Processing stops only when the replica does, not when Telegram hangs up.</param>
/// <param name="logger">The logger.</param>
internal sealed class WebhookEndpoint(UpdateHandler handler, IOptions<TelegramOptions> options, IHostApplicationLifetime lifetime, ILogger<WebhookEndpoint> logger)
{
    /// <summary>The header Telegram sends the webhook's secret in.</summary>
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    private readonly byte[] _secret = Encoding.UTF8.GetBytes(options.Value.WebhookSecret ?? string.Empty);

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        if (!HasSecret(http.Request))
        {
            return Results.Unauthorized();
        }

        if (await ReadUpdateAsync(http.Request, http.RequestAborted) is not { } update)
        {
            return Results.BadRequest();
        }

        // VipEntry claims the update_id in its own table (vip_entry_updates) so that a second delivery — a retry, another
        // replica — is not processed again: 200 when processed here or before, 409 while another replica holds it.
        var webhook = http.RequestServices.GetRequiredService<IVipEntryWebhook>();
        try
        {
            var result = await webhook.ProcessAsync(update, handler.ProcessAsync, lifetime.ApplicationStopping);
            if (result == VipEntryWebhookResult.HeldElsewhere)
            {
                SampleLog.UpdateBusy(logger, update.Id);
            }

            return Results.StatusCode(result.ToHttpStatusCode());
        }
        catch (Exception ex)
        {
            // Not processed: VipEntry gave the claim back; Telegram delivers it again (here or to another replica).
            SampleLog.UpdateFailed(logger, ex, update.Id, update.Type);
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }
    }

    private bool HasSecret(HttpRequest request)
    {
        var given = request.Headers[SecretHeader];
        return given.Count == 1 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given[0] ?? string.Empty), _secret);
    }

    private static async Task<Update?> ReadUpdateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            // An update has an update_id; anything else (an array, {}, text) is not one.
            var node = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
            if (node is not JsonObject json || json["update_id"] is not JsonValue id || !id.TryGetValue<long>(out _))
            {
                return null;
            }

            return json.Deserialize<Update>(JsonBotAPI.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
