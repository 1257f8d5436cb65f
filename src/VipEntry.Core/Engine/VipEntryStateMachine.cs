// The engine's shared core: the store, the clock and the helpers every step uses. R8 (an ended subscription blocks
// every step, IsBlocked), R10 (UTC instants at the store's precision), R13 (results, never exceptions) and R15
// (observers told of every transition). Each step lives in its own file: VipEntryStateMachine.<Step>.cs.
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VipEntry.Core.Channel;
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Links;
using VipEntry.Core.Messages;
using VipEntry.Core.Options;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Tokens;

namespace VipEntry.Core.Engine;

/// <summary>
/// The ritual engine. State lives in the <see cref="IVipEntryStore"/>; every change is one compare-and-set
/// there, so this class holds no state of its own and is safe across threads, processes and replicas.
/// </summary>
public sealed partial class VipEntryStateMachine : IVipEntryStateMachine
{
    // Optimistic loops re-read and retry when another writer got in between; after this many
    // rounds the caller gets Conflict rather than a busy loop.
    private const int MaxAttempts = 8;

    private readonly IVipEntryStore _store;
    private readonly IVipEntryChannelStore _channels;
    private readonly IVipEntryChannel? _channel;
    private readonly ITokenGenerator _tokens;
    private readonly IVipEntryLinkIssuer _issuer;
    private readonly VipEntryPromptBuilder _prompts;
    private readonly IEnumerable<IVipEntryObserver> _observers;
    private readonly VipEntryMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<VipEntryOptions> _options;
    private readonly ILogger _logger;

    /// <summary>Creates the engine. Normally resolved from DI (<c>services.AddVipEntry()</c>).</summary>
    /// <param name="store">Where state lives.</param>
    /// <param name="channels">Where the channel facts live (R19).</param>
    /// <param name="tokens">The token generator.</param>
    /// <param name="issuer">The host's link issuer.</param>
    /// <param name="messages">The texts.</param>
    /// <param name="observers">Transition observers.</param>
    /// <param name="metrics">The metrics.</param>
    /// <param name="time">The clock.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="channel">The transport's channel port, when one is registered: asked whether a member is inside before a re-entry link is minted (R16, R19).</param>
    public VipEntryStateMachine(
        IVipEntryStore store,
        IVipEntryChannelStore channels,
        ITokenGenerator tokens,
        IVipEntryLinkIssuer issuer,
        IVipEntryMessageProvider messages,
        IEnumerable<IVipEntryObserver> observers,
        VipEntryMetrics metrics,
        TimeProvider time,
        IOptionsMonitor<VipEntryOptions> options,
        ILogger<VipEntryStateMachine>? logger = null,
        IVipEntryChannel? channel = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _channels = channels ?? throw new ArgumentNullException(nameof(channels));
        _channel = channel;
        _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        _issuer = issuer ?? throw new ArgumentNullException(nameof(issuer));
        _prompts = new VipEntryPromptBuilder(messages ?? throw new ArgumentNullException(nameof(messages)));
        _observers = observers ?? throw new ArgumentNullException(nameof(observers));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    private VipEntryOptions Options => _options.CurrentValue;

    // A TimeProvider should report UTC; normalizing anyway keeps every stored and handed-out instant at offset zero (R10),
    // at the precision every store keeps (whole microseconds), so a value compares the same before and after storage.
    private DateTimeOffset Now => ToStorePrecision(_time.GetUtcNow());

    /// <summary>
    /// An instant as every store keeps it: UTC, truncated to whole microseconds (PostgreSQL's precision). The engine
    /// normalizes every instant it stores or compares with this, so a retried call with the same sub-microsecond value
    /// behaves the same on every store (R10).
    /// </summary>
    /// <param name="value">The instant.</param>
    /// <returns>The instant at offset zero, truncated to whole microseconds.</returns>
    public static DateTimeOffset ToStorePrecision(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }

    private async ValueTask<VipEntryStage> StageOfAsync(long subscriberId, CancellationToken cancellationToken) =>
        (await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false))?.Stage ?? VipEntryStage.NotEnrolled;

    private async ValueTask<VipEntryResult> ResultAtCurrentStageAsync(VipEntryOutcome outcome, long subscriberId, CancellationToken cancellationToken) =>
        VipEntryResult.Of(outcome, subscriberId, await StageOfAsync(subscriberId, cancellationToken).ConfigureAwait(false));

    // The checks every member-facing step makes first, in this order: an ended subscription is checked
    // before completion, because a completed member whose subscription ended is no longer inside (R8).
    private static bool IsBlocked(long subscriberId, [NotNullWhen(false)] VipEntryRecord? current, DateTimeOffset now, [NotNullWhen(true)] out VipEntryResult? blocked)
    {
        blocked = current switch
        {
            null => VipEntryResult.Of(VipEntryOutcome.NotEnrolled, subscriberId, VipEntryStage.NotEnrolled),
            _ when !current.IsActiveAt(now) => VipEntryResult.Of(VipEntryOutcome.SubscriptionExpired, subscriberId, current.Stage),
            { Stage: VipEntryStage.Completed } => VipEntryResult.Of(VipEntryOutcome.AlreadyCompleted, subscriberId, current.Stage),
            _ => null,
        };
        return blocked is not null;
    }

    private static IReadOnlyList<string> LinkList(string? link) => link is null ? [] : [link];

    private async ValueTask NotifyAsync(long subscriberId, VipEntryStage from, VipEntryStage to, VipEntryTrigger trigger, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // No observer registered (DI hands an empty array): no event to build, per member of a bulk activation either.
        if (_observers is IVipEntryObserver[] { Length: 0 })
        {
            return;
        }

        var e = new VipEntryTransitionEvent(subscriberId, from, to, trigger, at);
        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnTransitionAsync(e, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                VipEntryLog.ObserverFailed(_logger, ex, observer.GetType().Name, subscriberId);
            }
        }
    }
}
