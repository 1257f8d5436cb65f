using VipEntry.Core.Telegram.Tests.Support;

namespace VipEntry.Core.Telegram.Tests.Faults;

/// <summary>
/// Fails every call of one Bot API method, with one <see cref="BotApiFault"/>, while a step runs; then heals it. A 429's
/// <c>retry_after</c> is waited out on the test clock, which this advances as the waits begin.
/// </summary>
internal static class FaultInjector
{
    /// <summary>The host's HttpClient timeout in the fault tests: short, so a timeout costs half a second.</summary>
    public static readonly TimeSpan HttpTimeout = TimeSpan.FromMilliseconds(500);

    private const int Many = 100;

    public static async Task<T> DuringAsync<T>(TelegramTestHost host, string method, BotApiFault fault, Func<Task<T>> step)
    {
        var api = host.Api;
        VipEntry.Telegram.Testing.HeldMethod? hold = null;
        switch (fault)
        {
            case BotApiFault.ConnectionDropped:
                api.DropNext(method, times: Many);
                break;
            case BotApiFault.Timeout:
                hold = api.Hold(method);
                break;
            case BotApiFault.RateLimited:
                api.FailNext(method, 429, "Too Many Requests: retry after 1", retryAfter: 1, times: Many);
                break;
            case BotApiFault.BadRequest:
                api.FailNext(method, 400, "Bad Request: chat not found", times: Many);
                break;
            case BotApiFault.Forbidden:
                api.FailNext(method, 403, method == "sendMessage" ? "Forbidden: bot was blocked by the user" : "Forbidden: bot is not a member of the channel chat", times: Many);
                break;
        }

        using var pumping = new CancellationTokenSource();
        var pump = fault == BotApiFault.RateLimited ? PumpRetryAfterAsync(host, pumping.Token) : Task.CompletedTask;
        try
        {
            return await step();
        }
        finally
        {
            await pumping.CancelAsync();
            await pump;
            api.Heal(method);
            if (hold is not null)
            {
                // What was held goes through now (a timed-out call can still take effect), before the next step looks.
                hold.Release();
                await api.WaitIdleAsync();
            }
        }
    }

    public static Task DuringAsync(TelegramTestHost host, string method, BotApiFault fault, Func<Task> step) =>
        DuringAsync(host, method, fault, async () =>
        {
            await step();
            return true;
        });

    // VipEntry waits retry_after on the injected clock: advance it as each wait begins, so the retries run at once.
    private static async Task PumpRetryAfterAsync(TelegramTestHost host, CancellationToken stop)
    {
        var oneSecond = TimeSpan.FromSeconds(1);
        var before = host.Time.Timers.Count(t => t == oneSecond);
        var advanced = 0;
        while (!stop.IsCancellationRequested)
        {
            if (host.Time.Timers.Count(t => t == oneSecond) - before > advanced)
            {
                // A little later than the timer's creation, so the timer exists when the clock moves.
                await Task.Delay(5, CancellationToken.None);
                host.Time.Advance(oneSecond);
                advanced++;
                continue;
            }

            try
            {
                await Task.Delay(5, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
