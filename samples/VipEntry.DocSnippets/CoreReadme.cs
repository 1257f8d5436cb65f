using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.DependencyInjection;
using VipEntry.Core.Engine;

namespace VipEntry.DocSnippets;

/// <summary>src/VipEntry.Core/README.md, "How to use".</summary>
public static class CoreReadme
{
    /// <summary>The fragment, with what it names from the host as parameters.</summary>
    public static async Task Fragment(IServiceCollection services, IServiceProvider provider, long memberId)
    {
        #region how-to-use
        services.AddVipEntry(o => o.LinkLifetime = TimeSpan.FromHours(24))   // or AddVipEntry(configuration.GetSection("VipEntry"))
                .UseInMemoryStore()                       // or VipEntry.Core.EfCore's AddEntityFrameworkCoreStore<TContext>()
                .UseLinkIssuer<MyTransportLinkIssuer>()
                .UseChannel<MyTransportChannel>();            // the one channel worker, over your transport's port

        var ritual = provider.GetRequiredService<IVipEntryStateMachine>();
        await ritual.ActivateAsync(memberId, DateTimeOffset.UtcNow.AddDays(30));
        var step = await ritual.GetStepAsync(memberId);   // show step.Prompt.Text and step.Prompt.Button
        #endregion
        GC.KeepAlive(step);
    }
}
