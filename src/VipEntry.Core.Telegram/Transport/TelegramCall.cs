using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot.Exceptions;
using VipEntry.Core.Telegram.Diagnostics;

namespace VipEntry.Core.Telegram.Transport;

/// <summary>
/// The one place where Bot API failures become data: 429 waits <c>retry_after</c> (on the injected clock) and retries a
/// bounded number of times; 403 is <see cref="TelegramCallStatus.Forbidden"/>; 400 is <see cref="TelegramCallStatus.Rejected"/>;
/// network errors, timeouts and everything else Telegram.Bot reports are <see cref="TelegramCallStatus.Failed"/>.
/// Only the caller's own cancellation escapes as an exception.
/// </summary>
/// <remarks>
/// Telegram.Bot 22 also retries a 429 itself when <c>retry_after</c> is at most <c>TelegramBotClientOptions.RetryThreshold</c>
/// (default 60 s, up to <c>RetryCount</c> times, on the real clock); what reaches this class is what it gave up on.
/// </remarks>
/// <param name="time">The clock whose delays the retries wait on.</param>
/// <param name="options">The retry bounds.</param>
/// <param name="logger">The logger.</param>
internal sealed class TelegramCall(TimeProvider time, IOptionsMonitor<VipEntryTelegramOptions> options, ILogger<TelegramCall> logger)
{
    // A 429 without retry_after (not seen from Telegram, but possible from a proxy) waits this long.
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    public async ValueTask<TelegramCallResult<T>> RunAsync<T>(string method, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var settings = options.CurrentValue;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var value = await call(cancellationToken).ConfigureAwait(false);
                return new TelegramCallResult<T>(TelegramCallStatus.Succeeded, value, null, null);
            }
            catch (ApiRequestException ex) when (ex.ErrorCode == 429)
            {
                var wait = ex.Parameters?.RetryAfter is int seconds ? TimeSpan.FromSeconds(Math.Max(seconds, 0)) : DefaultRetryAfter;
                if (attempt >= settings.RateLimitRetries || wait > settings.MaxRetryAfter)
                {
                    TelegramLog.RateLimitGivenUp(logger, method, wait, attempt);
                    return new TelegramCallResult<T>(TelegramCallStatus.Failed, default, ex.ErrorCode, ex.Message);
                }

                TelegramLog.RateLimited(logger, method, wait, attempt + 1);
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiRequestException ex)
            {
                var status = ex.ErrorCode switch
                {
                    403 => TelegramCallStatus.Forbidden,
                    400 => TelegramCallStatus.Rejected,
                    _ => TelegramCallStatus.Failed,
                };
                TelegramLog.ApiError(logger, method, ex.ErrorCode, ex.Message);
                return new TelegramCallResult<T>(status, default, ex.ErrorCode, ex.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is RequestException or HttpRequestException or OperationCanceledException or JsonException or IOException)
            {
                // Telegram.Bot wraps network errors and timeouts in RequestException; a raw HttpRequestException, a
                // timeout's TaskCanceledException or an unreadable answer can reach here from a custom HttpClient.
                TelegramLog.TransportError(logger, ex, method);
                return new TelegramCallResult<T>(TelegramCallStatus.Failed, default, null, ex.GetType().Name);
            }
        }
    }

    public async ValueTask<TelegramCallResult<bool>> RunAsync(string method, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        return await RunAsync(
            method,
            async ct =>
            {
                await call(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
