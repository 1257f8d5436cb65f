using Microsoft.Extensions.DependencyInjection;
using Telegram.Bot.Types;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.EfCore;
using VipEntry.Core.Telegram;

namespace VipEntry.DocSnippets;

/// <summary>README.md, "On Telegram (Telegram.Bot)".</summary>
public static class ReadmeOnTelegram
{
    /// <summary>The fragment, with what it names from the host as parameters.</summary>
    public static async Task Fragment(IServiceCollection services, IServiceScope scope, Update update, CancellationToken ct)
    {
        #region on-telegram
        services.AddVipEntry().AddEntityFrameworkCoreStore<BotDbContext>().AddTelegram(o => o.ChatId = -1001234567890);

        // for each update (long polling or webhook), in a DI scope:
        if (await scope.ServiceProvider.GetRequiredService<IVipEntryTelegram>().HandleUpdateAsync(update, ct)) return;
        #endregion
    }
}
