using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace VipEntry.SampleBot.Data;

/// <summary>
/// Creates the schema at start-up with <c>EnsureCreated</c> (same model on SQLite and PostgreSQL; see the
/// README for why the sample does not use migrations). Does nothing when the tables already exist.
/// </summary>
/// <param name="scopes">Creates the scope for the context.</param>
internal sealed class DatabaseInitializer(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SampleDbContext>();
        await db.Database.EnsureCreatedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
