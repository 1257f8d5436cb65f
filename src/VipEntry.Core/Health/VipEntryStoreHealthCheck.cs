using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using VipEntry.Core.Storage;

namespace VipEntry.Core.Health;

/// <summary>
/// "The store answers" (issue 15): a cheap read of the store the engine uses (a subscriber id no one has), in its own DI
/// scope like an update. An exception (the database is down, the schema is missing) is the check's failure status.
/// </summary>
/// <param name="scopes">Makes the scope.</param>
internal sealed class VipEntryStoreHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    // No subscriber has id 0 (Telegram ids are positive): the read touches the table and returns nothing.
    private const long Nobody = 0;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                await scope.ServiceProvider.GetRequiredService<IVipEntryStore>().FindAsync(Nobody, cancellationToken).ConfigureAwait(false);
            }

            return HealthCheckResult.Healthy("The VipEntry store answers.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // The exception's type only: its message may hold a connection string or SQL.
            return new HealthCheckResult(context.Registration.FailureStatus, $"The VipEntry store does not answer ({ex.GetType().Name}).", ex);
        }
    }
}
