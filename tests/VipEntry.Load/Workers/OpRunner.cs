using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Load.Logging;

namespace VipEntry.Load.Workers;

/// <summary>
/// Runs one engine call in its own DI scope (as a host handling one update does), logging an intent line before and a
/// result line after, both stamped with the run's virtual clock. An exception from the engine is logged as the outcome <c>Exception</c>, never swallowed silently:
/// the checker fails on it.
/// </summary>
public sealed class OpRunner(IServiceProvider services, JsonlLog log)
{
    public const string ExceptionOutcome = "Exception";

    private readonly TimeProvider _clock = services.GetRequiredService<TimeProvider>();
    private readonly ConcurrentDictionary<string, long> _sent = new(StringComparer.Ordinal);
    private long _seq;

    public IReadOnlyDictionary<string, long> Sent => _sent;

    public JsonlLog Log => log;

    public Task<T?> RunAsync<T>(LogLine intent, Func<IVipEntryStateMachine, Task<T>> call, Action<LogLine, T> describe)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(call);
        return RunScopedAsync(intent, sp => call(sp.GetRequiredService<IVipEntryStateMachine>()), describe);
    }

    /// <summary>As <see cref="RunAsync{T}"/>, for a call that needs more of the scope than the engine (the channel worker, the model chat).</summary>
    public async Task<T?> RunScopedAsync<T>(LogLine intent, Func<IServiceProvider, Task<T>> call, Action<LogLine, T> describe)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(describe);
        var seq = Interlocked.Increment(ref _seq);
        intent.Kind = "intent";
        intent.Seq = seq;
        _sent.AddOrUpdate(intent.Op!, 1, (_, n) => n + 1);
        var result = new LogLine { Kind = "result", Seq = seq, Op = intent.Op, Mode = intent.Mode, Subscriber = intent.Subscriber, Claimant = intent.Claimant };
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OpContext>().Seq = seq;
        intent.Ticks = _clock.GetUtcNow().UtcTicks;
        log.Write(intent);
        try
        {
            var value = await call(scope.ServiceProvider).ConfigureAwait(false);
            result.Ticks = _clock.GetUtcNow().UtcTicks;
            describe(result, value);
            log.Write(result);
            return value;
        }
        catch (Exception ex)
        {
            result.Ticks = _clock.GetUtcNow().UtcTicks;
            result.Outcome = ExceptionOutcome;
            result.Error = $"{ex.GetType().FullName}: {ex.Message}";
            log.Write(result);
            return null;
        }
    }

    /// <summary>
    /// Logs a call made inside an operation's scope (a port call of the channel worker, a sweep or a confirmation the worker
    /// makes): intent, result, counted as sent. An exception is logged and thrown on to the caller.
    /// </summary>
    public async Task<T> LogCallAsync<T>(LogLine intent, Func<Task<T>> call, Action<LogLine, T> describe)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(describe);
        var seq = Interlocked.Increment(ref _seq);
        intent.Kind = "intent";
        intent.Seq = seq;
        _sent.AddOrUpdate(intent.Op!, 1, (_, n) => n + 1);
        var result = new LogLine { Kind = "result", Seq = seq, Op = intent.Op, Mode = intent.Mode, Subscriber = intent.Subscriber, Claimant = intent.Claimant };
        intent.Ticks = _clock.GetUtcNow().UtcTicks;
        log.Write(intent);
        try
        {
            var value = await call().ConfigureAwait(false);
            result.Ticks = _clock.GetUtcNow().UtcTicks;
            describe(result, value);
            log.Write(result);
            return value;
        }
        catch (Exception ex)
        {
            result.Ticks = _clock.GetUtcNow().UtcTicks;
            result.Outcome = ExceptionOutcome;
            result.Error = $"{ex.GetType().FullName}: {ex.Message}";
            log.Write(result);
            throw;
        }
    }

    /// <summary>The usual description of a result: outcome, stage, and a recorded link when one was shown (never a token-carrying one).</summary>
    public static void Describe(LogLine line, VipEntryResult result)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(result);
        line.Outcome = result.Outcome.ToString();
        line.Stage = (int)result.Stage;
        if (result.Access is { CanBeShownAgain: true } access)
        {
            line.Link = access.Link;
        }
    }
}
