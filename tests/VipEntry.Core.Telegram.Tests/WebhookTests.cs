using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Telegram.Bot;
using Telegram.Bot.Types;
using VipEntry.Core.DependencyInjection;
using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests;

/// <summary>
/// Issue 15 point 8: <see cref="IVipEntryWebhook.ProcessAsync"/> handles each update once across replicas sharing a store:
/// processed → 200 and done, a second delivery while held → 409 without handling, after done → 200 without handling, a
/// failed handler gives the claim back, a dead holder's lease runs out and the update is taken over.
/// </summary>
public sealed class WebhookTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _provider;

    public WebhookTests()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<ITelegramBotClient>(new TelegramBotClient(new TelegramBotClientOptions(FakeBotApiServer.Token, baseUrl: "http://127.0.0.1:9")));
        services.AddVipEntry().UseInMemoryStore().AddTelegram(o =>
        {
            o.ChatId = -100123;
            o.RunChannelWorker = false;
            o.WebhookUpdateLease = TimeSpan.FromSeconds(30);
        });
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    private IVipEntryWebhook Webhook() => _provider.CreateScope().ServiceProvider.GetRequiredService<IVipEntryWebhook>();

    [Fact]
    public async Task One_update_delivered_to_two_replicas_at_once_is_handled_once_200_and_409_then_the_retry_200()
    {
        var update = new Update { Id = 1001 };
        var handled = 0;
        var inside = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var first = Webhook().ProcessAsync(update, async (u, ct) =>
        {
            Interlocked.Increment(ref handled);
            inside.SetResult();
            await release.Task;
        }).AsTask();
        await inside.Task;

        // The second replica gets the same update while the first handles it.
        var second = await Webhook().ProcessAsync(update, (u, ct) => { Interlocked.Increment(ref handled); return Task.CompletedTask; });
        Assert.Equal(VipEntryWebhookResult.HeldElsewhere, second);
        Assert.Equal(409, second.ToHttpStatusCode());

        release.SetResult();
        var done = await first;
        Assert.Equal(VipEntryWebhookResult.Processed, done);
        Assert.Equal(200, done.ToHttpStatusCode());

        // Telegram's retry of the 409: 200, not handled again.
        var retry = await Webhook().ProcessAsync(update, (u, ct) => { Interlocked.Increment(ref handled); return Task.CompletedTask; });
        Assert.Equal(VipEntryWebhookResult.AlreadyDone, retry);
        Assert.Equal(200, retry.ToHttpStatusCode());
        Assert.Equal(1, handled);
    }

    [Fact]
    public async Task A_failed_handler_gives_the_claim_back_and_the_next_delivery_is_handled()
    {
        var update = new Update { Id = 2002 };
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await Webhook().ProcessAsync(update, (u, ct) => throw new InvalidOperationException("boom")));

        var handled = 0;
        Assert.Equal(VipEntryWebhookResult.Processed, await Webhook().ProcessAsync(update, (u, ct) => { handled++; return Task.CompletedTask; }));
        Assert.Equal(1, handled);
    }

    [Fact]
    public async Task A_dead_replicas_claim_is_taken_over_once_its_lease_runs_out()
    {
        var update = new Update { Id = 3003 };
        var claims = _provider.GetRequiredService<VipEntry.Core.Storage.IVipEntryUpdateClaims>();
        var now = _clock.GetUtcNow();

        // A replica claimed it and died (never marked it done).
        Assert.Equal(VipEntry.Core.Storage.VipEntryUpdateClaim.Claimed, await claims.TryClaimAsync("telegram", update.Id, "dead", now, now.AddSeconds(30)));
        Assert.Equal(VipEntryWebhookResult.HeldElsewhere, await Webhook().ProcessAsync(update, (u, ct) => Task.CompletedTask));

        _clock.Advance(TimeSpan.FromSeconds(30));
        var handled = 0;
        Assert.Equal(VipEntryWebhookResult.Processed, await Webhook().ProcessAsync(update, (u, ct) => { handled++; return Task.CompletedTask; }));
        Assert.Equal(1, handled);
    }

    [Fact]
    public async Task Done_claims_older_than_the_retention_are_purged_along_the_way()
    {
        var claims = _provider.GetRequiredService<VipEntry.Core.Storage.IVipEntryUpdateClaims>();
        Assert.Equal(VipEntryWebhookResult.Processed, await Webhook().ProcessAsync(new Update { Id = 4001 }, (u, ct) => Task.CompletedTask));

        // Past the retention (2 days by default), the next update whose id is a multiple of 64 purges it.
        _clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromSeconds(1));
        Assert.Equal(VipEntryWebhookResult.Processed, await Webhook().ProcessAsync(new Update { Id = 64 * 100 }, (u, ct) => Task.CompletedTask));
        var now = _clock.GetUtcNow();
        Assert.Equal(VipEntry.Core.Storage.VipEntryUpdateClaim.Claimed, await claims.TryClaimAsync("telegram", 4001, "again", now, now.AddSeconds(1)));
        Assert.Equal(VipEntry.Core.Storage.VipEntryUpdateClaim.AlreadyDone, await claims.TryClaimAsync("telegram", 64 * 100, "again", now, now.AddSeconds(1)));
    }
}
