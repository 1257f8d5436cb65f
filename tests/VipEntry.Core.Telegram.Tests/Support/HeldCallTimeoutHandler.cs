using VipEntry.Telegram.Testing;

namespace VipEntry.Core.Telegram.Tests.Support;

/// <summary>
/// The host's HTTP timeout, applied only to a call of a method the fake Bot API is holding: that call times out exactly as
/// under <see cref="HttpClient.Timeout"/> (a <see cref="TaskCanceledException"/> around a <see cref="TimeoutException"/>,
/// which Telegram.Bot reports as "Request timed out"), while every other call of the test runs without a deadline — so a
/// busy machine cannot make an unfaulted call time out.
/// </summary>
// A fresh connection per call (PooledConnectionLifetime = 0): after the fake drops a connection (HttpListener's Abort), a
// pooled connection can fail the next call before it reaches the fake — noise that is the fake's, not the package's.
internal sealed class HeldCallTimeoutHandler(FakeBotApiServer api, TimeSpan timeout)
    : DelegatingHandler(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero })
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        if (!api.IsHeld(path[(path.LastIndexOf('/') + 1)..]))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await base.SendAsync(request, deadline.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TaskCanceledException($"The request was canceled due to the configured HttpClient.Timeout of {timeout.TotalSeconds} seconds elapsing.", new TimeoutException(ex.Message, ex));
        }
    }
}
