using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Telegram.Bot.Types;
using VipEntry.Core.Telegram;

namespace VipEntry.DocSnippets;

/// <summary>docs/telegram.md, "Scaling out": a webhook endpoint served by several replicas.</summary>
public static class TelegramScalingOut
{
    /// <summary>The fragment, with what it names from the host as parameters.</summary>
    public static void Fragment(WebApplication app, Func<Update, CancellationToken, Task> handleUpdate)
    {
        #region webhook-replicas
        app.MapPost("/telegram", async (Update update, IVipEntryWebhook webhook, IHostApplicationLifetime life) =>
        {
            // (check the secret header first.) Claimed here: handled, marked done, 200. Handled before: 200 without
            // handling it again. Held by another replica: 409, Telegram retries. The handler throws: claim given back, 500.
            var result = await webhook.ProcessAsync(update, handleUpdate, life.ApplicationStopping);
            return Results.StatusCode(result.ToHttpStatusCode());
        });
        #endregion
    }
}
