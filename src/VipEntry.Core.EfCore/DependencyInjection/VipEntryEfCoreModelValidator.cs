using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VipEntry.Core.Storage;

namespace VipEntry.Core.EfCore;

/// <summary>
/// Creates the registered stores once, in a scope, when the host starts (options validated on start run before any hosted
/// service, the web server included): an EF store reads its mapping from the context's model when it is created, and says
/// which call is missing (<c>modelBuilder.AddVipEntrySubscribers()</c> or <c>HasVipEntry</c>, the channel, payments and webhook update claims tables' too).
/// No database is opened: building the model needs none.
/// </summary>
internal sealed class VipEntryEfCoreModelValidator(IServiceScopeFactory scopes) : IValidateOptions<VipEntryEfCoreModelCheck>
{
    public ValidateOptionsResult Validate(string? name, VipEntryEfCoreModelCheck options)
    {
        using var scope = scopes.CreateScope();
        var failures = new List<string>();
        Check<IVipEntryStore>(scope.ServiceProvider, failures);
        Check<IVipEntryChannelStore>(scope.ServiceProvider, failures);
        Check<IVipEntryPaymentStore>(scope.ServiceProvider, failures);
        Check<IVipEntryUpdateClaims>(scope.ServiceProvider, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // The store the host will use, whichever it is (a store registered before the EF one wins, and is the one checked).
    private static void Check<TStore>(IServiceProvider services, List<string> failures)
        where TStore : notnull
    {
        try
        {
            _ = services.GetRequiredService<TStore>();
        }
        catch (InvalidOperationException e)
        {
            failures.Add(e.Message);
        }
    }
}
