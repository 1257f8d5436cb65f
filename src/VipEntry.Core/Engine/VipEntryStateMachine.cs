using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
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
public sealed class VipEntryStateMachine : IVipEntryStateMachine
{
    // Optimistic loops re-read and retry when another writer got in between; after this many
    // rounds the caller gets Conflict rather than a busy loop.
    private const int MaxAttempts = 8;

    // Transport links are short URLs; anything longer is not ours.
    private const int MaxLinkLength = 2048;

    // Members per bulk activation batch: one read, one insert and one or two updates each, bounded in parameters
    // (SQLite allows 32,766 per statement, PostgreSQL 65,535) and in how long one statement holds the write lock.
    private const int BulkBatchSize = 500;

    private readonly IVipEntryStore _store;
    private readonly ITokenGenerator _tokens;
    private readonly IVipEntryLinkIssuer _issuer;
    private readonly IVipEntryMessageProvider _messages;
    private readonly IEnumerable<IVipEntryObserver> _observers;
    private readonly VipEntryMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<VipEntryOptions> _options;
    private readonly ILogger _logger;

    /// <summary>Creates the engine. Normally resolved from DI (<c>services.AddVipEntry()</c>).</summary>
    /// <param name="store">Where state lives.</param>
    /// <param name="tokens">The token generator.</param>
    /// <param name="issuer">The host's link issuer.</param>
    /// <param name="messages">The texts.</param>
    /// <param name="observers">Transition observers.</param>
    /// <param name="metrics">The metrics.</param>
    /// <param name="time">The clock.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger.</param>
    public VipEntryStateMachine(
        IVipEntryStore store,
        ITokenGenerator tokens,
        IVipEntryLinkIssuer issuer,
        IVipEntryMessageProvider messages,
        IEnumerable<IVipEntryObserver> observers,
        VipEntryMetrics metrics,
        TimeProvider time,
        IOptionsMonitor<VipEntryOptions> options,
        ILogger<VipEntryStateMachine>? logger = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        _issuer = issuer ?? throw new ArgumentNullException(nameof(issuer));
        _messages = messages ?? throw new ArgumentNullException(nameof(messages));
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

    /// <inheritdoc />
    public async ValueTask<VipEntryResult> ActivateAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, CancellationToken cancellationToken = default)
    {
        // Compared at the store's precision: a retried activation carrying the same sub-microsecond end is the same one.
        var endsAt = ToStorePrecision(subscriptionEndsAt);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = Now;
            if (endsAt <= now)
            {
                var existing = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
                return VipEntryResult.Of(VipEntryOutcome.SubscriptionExpired, subscriberId, existing?.Stage ?? VipEntryStage.NotEnrolled);
            }

            var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                if (await _store.TryCreateAsync(subscriberId, endsAt, cancellationToken).ConfigureAwait(false))
                {
                    VipEntryLog.Started(_logger, subscriberId);
                    _metrics.Started();
                    await NotifyAsync(subscriberId, VipEntryStage.NotEnrolled, VipEntryStage.ActivationConfirmation, VipEntryTrigger.Activate, now, cancellationToken).ConfigureAwait(false);
                    return VipEntryResult.Of(VipEntryOutcome.Started, subscriberId, VipEntryStage.ActivationConfirmation);
                }

                if (await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false) is null)
                {
                    // The store cannot create rows (a host-owned table without this subscriber).
                    return VipEntryResult.Of(VipEntryOutcome.NotEnrolled, subscriberId, VipEntryStage.NotEnrolled);
                }

                continue;
            }

            // R2: a lapsed subscriber (ended, or a sweep took the lapse in hand) restarts even if completed; an active one
            // restarts only mid-ritual.
            var lapsed = !current.IsActiveAt(now) || current.IsLapseRecorded;
            if (!lapsed && ToStorePrecision(current.SubscriptionEndsAt) == endsAt)
            {
                // The same activation delivered again (a retried payment webhook) is not a renewal.
                return VipEntryResult.Of(VipEntryOutcome.AtStage, subscriberId, current.Stage);
            }

            var restart = lapsed || current.Stage != VipEntryStage.Completed;
            if (!await _store.TryRenewAsync(current, endsAt, restart, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var outcome = restart ? VipEntryOutcome.Restarted : VipEntryOutcome.Renewed;
            var stage = restart ? VipEntryStage.ActivationConfirmation : current.Stage;
            VipEntryLog.Renewed(_logger, subscriberId, outcome, stage);
            if (restart)
            {
                _metrics.Started();
                await NotifyAsync(subscriberId, current.Stage, stage, VipEntryTrigger.Renew, now, cancellationToken).ConfigureAwait(false);
            }

            // A completed member whose lapse no sweep has taken in hand is still inside the channel: the restart means they
            // must leave it and come back through the ritual (R2). When a worker already holds the lapse, that worker
            // removes them; its confirmation then says "entitled again", since this renewal cancelled the claim (R17).
            var mayBeInside = restart && current.Stage == VipEntryStage.Completed && !current.IsLapseRecorded;
            return VipEntryResult.Of(outcome, subscriberId, stage) with
            {
                LinksToRevoke = [.. LinkList(restart ? current.GrantLink : null), .. LinkList(current.LapseLink)],
                RemoveFromChannel = mayBeInside,
            };
        }

        VipEntryLog.Conflict(_logger, nameof(ActivateAsync), subscriberId);
        return await ResultAtCurrentStageAsync(VipEntryOutcome.Conflict, subscriberId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryBulkActivationResult> ActivateManyAsync(IEnumerable<VipEntryActivation> activations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activations);
        var result = new VipEntryBulkActivationResult.Builder();
        var batch = new List<VipEntryActivation>(BulkBatchSize);
        var ids = new HashSet<long>();
        foreach (var activation in activations)
        {
            // A subscriber listed again starts the next batch, so the second activation sees the first one's effect.
            if (batch.Count == BulkBatchSize || !ids.Add(activation.SubscriberId))
            {
                await ActivateBatchAsync(batch, result, cancellationToken).ConfigureAwait(false);
                batch.Clear();
                ids.Clear();
                ids.Add(activation.SubscriberId);
            }

            batch.Add(activation with { SubscriptionEndsAt = ToStorePrecision(activation.SubscriptionEndsAt) });
        }

        if (batch.Count > 0)
        {
            await ActivateBatchAsync(batch, result, cancellationToken).ConfigureAwait(false);
        }

        return result.Build();
    }

    // One bounded batch of distinct members: the creates, one read of the others, then the renewals, each set-based in the
    // store and each member's write a compare-and-set with ActivateAsync's conditions. A member whose write lost (created or changed
    // by someone else since the read, or a host-owned table without their row) goes through ActivateAsync itself.
    private async ValueTask ActivateBatchAsync(List<VipEntryActivation> batch, VipEntryBulkActivationResult.Builder result, CancellationToken cancellationToken)
    {
        var now = Now;
        var live = new List<VipEntryActivation>(batch.Count);
        foreach (var member in batch)
        {
            if (member.SubscriptionEndsAt <= now)
            {
                result.Add(VipEntryOutcome.SubscriptionExpired);
            }
            else
            {
                live.Add(member);
            }
        }

        if (live.Count == 0)
        {
            return;
        }

        // R1 first: the create is a compare-and-set on "not there yet", so a member it creates is exactly one ActivateAsync
        // would have found missing and created. Only the others are read (an import of new subscribers reads nothing).
        var retry = new List<VipEntryActivation>();
        var created = (await _store.TryCreateManyAsync(live, cancellationToken).ConfigureAwait(false)).ToHashSet();
        var existing = new List<VipEntryActivation>(live.Count - created.Count);
        foreach (var member in live)
        {
            if (!created.Contains(member.SubscriberId))
            {
                existing.Add(member);
                continue;
            }

            VipEntryLog.Started(_logger, member.SubscriberId);
            _metrics.Started();
            await NotifyAsync(member.SubscriberId, VipEntryStage.NotEnrolled, VipEntryStage.ActivationConfirmation, VipEntryTrigger.Activate, now, cancellationToken).ConfigureAwait(false);
            result.Add(VipEntryOutcome.Started);
        }

        var found = existing.Count == 0
            ? []
            : await _store.FindManyAsync([.. existing.Select(m => m.SubscriberId)], cancellationToken).ConfigureAwait(false);
        var current = found.ToDictionary(r => r.SubscriberId);
        var renewals = new List<VipEntryRenewal>();
        foreach (var member in existing)
        {
            if (!current.TryGetValue(member.SubscriberId, out var record))
            {
                // Not created and not there: a host-owned table without their row, or deleted in between.
                retry.Add(member);
                continue;
            }

            // R2, as in ActivateAsync.
            var lapsed = !record.IsActiveAt(now) || record.IsLapseRecorded;
            if (!lapsed && ToStorePrecision(record.SubscriptionEndsAt) == member.SubscriptionEndsAt)
            {
                result.Add(VipEntryOutcome.AtStage);
                continue;
            }

            renewals.Add(new VipEntryRenewal(record, member.SubscriptionEndsAt, Restart: lapsed || record.Stage != VipEntryStage.Completed));
        }

        if (renewals.Count > 0)
        {
            var renewed = (await _store.TryRenewManyAsync(renewals, cancellationToken).ConfigureAwait(false)).ToHashSet();
            foreach (var renewal in renewals)
            {
                var record = renewal.Expected;
                if (!renewed.Contains(record.SubscriberId))
                {
                    retry.Add(new VipEntryActivation(record.SubscriberId, renewal.SubscriptionEndsAt));
                    continue;
                }

                var restart = renewal.Restart;
                var outcome = restart ? VipEntryOutcome.Restarted : VipEntryOutcome.Renewed;
                var stage = restart ? VipEntryStage.ActivationConfirmation : record.Stage;
                VipEntryLog.Renewed(_logger, record.SubscriberId, outcome, stage);
                if (restart)
                {
                    _metrics.Started();
                    await NotifyAsync(record.SubscriberId, record.Stage, stage, VipEntryTrigger.Renew, now, cancellationToken).ConfigureAwait(false);
                    result.AddLink(record.GrantLink);
                }

                result.AddLink(record.LapseLink);
                if (restart && record.Stage == VipEntryStage.Completed && !record.IsLapseRecorded)
                {
                    result.AddRemoval(record.SubscriberId);
                }

                result.Add(outcome);
            }
        }

        foreach (var member in retry)
        {
            result.Add(await ActivateAsync(member.SubscriberId, member.SubscriptionEndsAt, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryResult> AdvanceAsync(long subscriberId, VipEntryStage from, CancellationToken cancellationToken = default)
    {
        if (!VipEntryStateDiagram.TryGetAdvanceTarget(from, out var to))
        {
            return await ResultAtCurrentStageAsync(VipEntryOutcome.InvalidInput, subscriberId, cancellationToken).ConfigureAwait(false);
        }

        var now = Now;
        if (await _store.TryAdvanceAsync(subscriberId, from, to, now, cancellationToken).ConfigureAwait(false))
        {
            VipEntryLog.Advanced(_logger, subscriberId, from, to);
            _metrics.Advanced(to);
            await NotifyAsync(subscriberId, from, to, VipEntryTrigger.Advance, now, cancellationToken).ConfigureAwait(false);
            return VipEntryResult.Of(VipEntryOutcome.Advanced, subscriberId, to);
        }

        var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
        var result = current switch
        {
            null => VipEntryResult.Of(VipEntryOutcome.NotEnrolled, subscriberId, VipEntryStage.NotEnrolled),
            _ when !current.IsActiveAt(now) => VipEntryResult.Of(VipEntryOutcome.SubscriptionExpired, subscriberId, current.Stage),
            _ => VipEntryResult.Of(VipEntryOutcome.StaleStage, subscriberId, current.Stage),
        };
        VipEntryLog.AdvanceIgnored(_logger, subscriberId, from, result.Stage, result.Outcome);
        return result;
    }

    /// <inheritdoc />
    public ValueTask<VipEntryResult> DeliverAccessAsync(long subscriberId, CancellationToken cancellationToken = default) =>
        DeliverAsync(subscriberId, reentry: false, reissue: false, cancellationToken);

    /// <inheritdoc />
    public ValueTask<VipEntryResult> ReissueAccessAsync(long subscriberId, CancellationToken cancellationToken = default) =>
        DeliverAsync(subscriberId, reentry: false, reissue: true, cancellationToken);

    /// <inheritdoc />
    public ValueTask<VipEntryResult> RequestReentryAsync(long subscriberId, CancellationToken cancellationToken = default) =>
        DeliverAsync(subscriberId, reentry: true, reissue: true, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<VipEntryStatus> GetStatusAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return new VipEntryStatus(subscriberId, VipEntryStage.NotEnrolled);
        }

        var now = Now;
        var lifetime = Options.LinkLifetime;
        var active = current.IsActiveAt(now);
        var lapse = current switch
        {
            { LapseHandledAt: not null } => VipEntryLapseState.Handled,
            { LapseClaimId: not null } => VipEntryLapseState.Claimed,
            _ when !active => VipEntryLapseState.Pending,
            _ => VipEntryLapseState.None,
        };
        return new VipEntryStatus(subscriberId, current.Stage)
        {
            SubscriptionEndsAt = current.SubscriptionEndsAt,
            IsActive = active,
            GrantExpiresAt = current.GrantExpiresAt(lifetime),
            HasLiveGrant = current.HasLiveGrant(now, lifetime),
            HasRecordedLink = current.GrantLink is not null,
            Lapse = lapse,
            CanRequestReentry = active && current.Stage == VipEntryStage.Completed,
        };
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryResult> RedeemTokenAsync(long claimantId, string? token, CancellationToken cancellationToken = default)
    {
        if (!AccessToken.TryParse(token, out var parsed))
        {
            return Refuse(claimantId, VipEntryResult.Of(VipEntryOutcome.InvalidInput, claimantId, await StageOfAsync(claimantId, cancellationToken).ConfigureAwait(false)));
        }

        var hash = parsed.ComputeHash();
        var owner = await _store.FindByTokenHashAsync(hash, cancellationToken).ConfigureAwait(false);

        // Found by hash; verify the token itself in constant time before acting on it (R12).
        if (owner is null || !parsed.MatchesHash(owner.GrantTokenHash))
        {
            return Refuse(claimantId, await UnknownGrantAsync(claimantId, cancellationToken).ConfigureAwait(false));
        }

        return await RedeemAsync(claimantId, owner, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryResult> RedeemLinkAsync(long claimantId, string? link, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(link) || link.Length > MaxLinkLength || link.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || link.Contains('\u007f', StringComparison.Ordinal) || !IsWellFormedUtf16(link))
        {
            return Refuse(claimantId, VipEntryResult.Of(VipEntryOutcome.InvalidInput, claimantId, await StageOfAsync(claimantId, cancellationToken).ConfigureAwait(false)));
        }

        var owner = await _store.FindByLinkAsync(link, cancellationToken).ConfigureAwait(false);
        if (owner?.GrantTokenHash is null)
        {
            return Refuse(claimantId, await UnknownGrantAsync(claimantId, cancellationToken).ConfigureAwait(false));
        }

        return await RedeemAsync(claimantId, owner, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryResult> SkipAsync(long subscriberId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);

            // R8: an ended subscription blocks every step, a skip to completion included.
            if (IsBlocked(subscriberId, current, Now, out var blocked))
            {
                return blocked;
            }

            if (!await _store.TrySkipAsync(current, Now, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            VipEntryLog.Skipped(_logger, subscriberId, current.Stage, actor, reason);
            _metrics.Skipped();
            await NotifyAsync(subscriberId, current.Stage, VipEntryStage.Completed, VipEntryTrigger.AdministrativeSkip, Now, cancellationToken).ConfigureAwait(false);
            return VipEntryResult.Of(VipEntryOutcome.Skipped, subscriberId, VipEntryStage.Completed) with { LinksToRevoke = LinkList(current.GrantLink) };
        }

        VipEntryLog.Conflict(_logger, nameof(SkipAsync), subscriberId);
        return await ResultAtCurrentStageAsync(VipEntryOutcome.Conflict, subscriberId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryResult> EndSubscriptionAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = Now;
            var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return VipEntryResult.Of(VipEntryOutcome.NotEnrolled, subscriberId, VipEntryStage.NotEnrolled);
            }

            if (!current.IsActiveAt(now))
            {
                return VipEntryResult.Of(VipEntryOutcome.SubscriptionExpired, subscriberId, current.Stage);
            }

            // Moving the end to now is a compare-and-set on the record as read; the sweep does the rest.
            if (await _store.TryRenewAsync(current, now, restart: false, cancellationToken).ConfigureAwait(false))
            {
                VipEntryLog.Ended(_logger, subscriberId, current.Stage);
                return VipEntryResult.Of(VipEntryOutcome.SubscriptionEnded, subscriberId, current.Stage);
            }
        }

        VipEntryLog.Conflict(_logger, nameof(EndSubscriptionAsync), subscriberId);
        return await ResultAtCurrentStageAsync(VipEntryOutcome.Conflict, subscriberId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<VipEntrySweepResult> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = Now;
        var options = Options;
        var batchSize = options.SweepBatchSize;
        var leaseUntil = now + options.LapseLease;
        var candidates = await _store.ListClaimableLapsesAsync(now, batchSize, cancellationToken).ConfigureAwait(false);
        var lapses = new List<VipEntryLapse>(candidates.Count);
        foreach (var candidate in candidates)
        {
            // Another replica may sweep the same row; only the one whose compare-and-set wins holds the claim (R17).
            var claimId = Guid.NewGuid().ToString("N");
            if (!await _store.TryClaimLapseAsync(candidate, claimId, now, leaseUntil, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var retry = candidate.LapseClaimId is not null;
            if (retry)
            {
                VipEntryLog.LapseReclaimed(_logger, candidate.SubscriberId);
            }
            else
            {
                VipEntryLog.Lapsed(_logger, candidate.SubscriberId, candidate.Stage, candidate.SubscriptionEndsAt);
                _metrics.Expired();
            }

            lapses.Add(new VipEntryLapse(candidate.SubscriberId, candidate.Stage, candidate.SubscriptionEndsAt, retry ? candidate.LapseLink : candidate.GrantLink)
            {
                ClaimId = claimId,
                LeaseExpiresAt = leaseUntil,
                IsRetry = retry,
            });
        }

        // A full batch in which nothing could be claimed (every row changed under us) is not "more": the next
        // scheduled sweep retries, instead of a host loop spinning on the same rows.
        return new VipEntrySweepResult(lapses, candidates.Count == batchSize && lapses.Count > 0);
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryResult> ConfirmLapseHandledAsync(VipEntryLapse lapse, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lapse);
        ArgumentException.ThrowIfNullOrEmpty(lapse.ClaimId, nameof(lapse));
        var now = Now;
        VipEntryResult result;
        if (await _store.TryConfirmLapseAsync(lapse.SubscriberId, lapse.ClaimId, now, cancellationToken).ConfigureAwait(false))
        {
            result = VipEntryResult.Of(VipEntryOutcome.LapseConfirmed, lapse.SubscriberId, lapse.Stage);
        }
        else
        {
            var current = await _store.FindAsync(lapse.SubscriberId, cancellationToken).ConfigureAwait(false);
            result = current switch
            {
                null => VipEntryResult.Of(VipEntryOutcome.NotEnrolled, lapse.SubscriberId, VipEntryStage.NotEnrolled),

                // Only a renewal clears a claim without confirming it: whatever this worker did, the member paid again.
                _ when current.IsActiveAt(now) && !current.IsLapseRecorded => VipEntryResult.Of(VipEntryOutcome.EntitledAgain, lapse.SubscriberId, current.Stage),
                _ => VipEntryResult.Of(VipEntryOutcome.LapseClaimLost, lapse.SubscriberId, current.Stage),
            };
        }

        VipEntryLog.LapseConfirmed(_logger, lapse.SubscriberId, result.Outcome);
        _metrics.LapseConfirmed(result.Outcome.ToString());
        return result;
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryNudgeBatch> ClaimNudgesAsync(CancellationToken cancellationToken = default)
    {
        var options = Options;
        var now = Now;
        var batchSize = options.SweepBatchSize;
        var nudges = new List<VipEntryNudge>();
        var hasMore = false;
        if (options.NudgeIdleAfter is { } idleAfter)
        {
            var idle = await _store.ListIdleAsync(now, now - idleAfter, batchSize, cancellationToken).ConfigureAwait(false);
            var claimed = 0;
            foreach (var candidate in idle)
            {
                // A row whose stage entry is unknown (written outside VipEntry) gets its clock started instead.
                if (await _store.TryClaimIdleNudgeAsync(candidate, now, cancellationToken).ConfigureAwait(false) && candidate.StageEnteredAt is { } since)
                {
                    claimed++;
                    nudges.Add(Nudged(new VipEntryNudge(candidate.SubscriberId, VipEntryNudgeKind.IdleAtStage, candidate.Stage) { IdleSince = since }));
                }
            }

            hasMore |= idle.Count == batchSize && (claimed > 0 || idle.Any(c => c.StageEnteredAt is null));
        }

        if (options.NudgeBeforeExpiry is { } window)
        {
            var lifetime = options.LinkLifetime;
            var expiring = await _store.ListExpiringGrantsAsync(now, now - lifetime, now - lifetime + window, batchSize, cancellationToken).ConfigureAwait(false);
            var claimed = 0;
            foreach (var candidate in expiring)
            {
                if (await _store.TryClaimGrantNudgeAsync(candidate, now, cancellationToken).ConfigureAwait(false))
                {
                    claimed++;
                    nudges.Add(Nudged(new VipEntryNudge(candidate.SubscriberId, VipEntryNudgeKind.GrantExpiringSoon, candidate.Stage) { GrantExpiresAt = candidate.GrantExpiresAt(lifetime) }));
                }
            }

            hasMore |= expiring.Count == batchSize && claimed > 0;
        }

        return new VipEntryNudgeBatch(nudges, hasMore);
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryFunnel> GetFunnelAsync(CancellationToken cancellationToken = default)
    {
        var counts = await _store.CountByStageAsync(Now, cancellationToken).ConfigureAwait(false);
        return new VipEntryFunnel(
            counts.GetValueOrDefault(VipEntryStage.ActivationConfirmation),
            counts.GetValueOrDefault(VipEntryStage.ExpectationAlignment),
            counts.GetValueOrDefault(VipEntryStage.AccessDelivery),
            counts.GetValueOrDefault(VipEntryStage.Completed));
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryStep> GetStepAsync(long subscriberId, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        culture ??= CultureInfo.GetCultureInfo(Options.DefaultCulture);
        var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
        VipEntryResult result;
        if (IsBlocked(subscriberId, current, Now, out var blocked))
        {
            result = blocked;
        }
        else if (current.Stage == VipEntryStage.AccessDelivery)
        {
            result = await DeliverAsync(subscriberId, reentry: false, reissue: false, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Stages 1 and 2: the prompt is the same whenever the member comes back (R9).
            result = VipEntryResult.Of(VipEntryOutcome.AtStage, subscriberId, current.Stage);
        }

        return new VipEntryStep(result, BuildPrompt(result, culture));
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryStep> HandleCallbackAsync(long subscriberId, string? callbackData, CultureInfo? culture = null, CancellationToken cancellationToken = default)
    {
        if (!VipEntryCallbackData.TryDecode(callbackData, out var callback))
        {
            // Garbage changes nothing (R11): at stage 3 the member is shown what is there, never a newly minted grant.
            culture ??= CultureInfo.GetCultureInfo(Options.DefaultCulture);
            var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
            if (current is { Stage: VipEntryStage.AccessDelivery } && current.IsActiveAt(Now))
            {
                var lifetime = Options.LinkLifetime;
                var invalidAtStage3 = VipEntryResult.Of(VipEntryOutcome.InvalidInput, subscriberId, current.Stage) with
                {
                    Access = current.HasLiveGrant(Now, lifetime) && current.GrantLink is { } shown
                        ? new VipEntryAccess(shown, current.GrantExpiresAt(lifetime)!.Value, CanBeShownAgain: true)
                        : null,
                };
                return new VipEntryStep(invalidAtStage3, invalidAtStage3.Access is null
                    ? new VipEntryPrompt(_messages.GetNotice(VipEntryNotice.InvalidLink, culture), new VipEntryButton(_messages.GetStageMessage(VipEntryStage.AccessDelivery, culture).ButtonLabel, VipEntryButtonKind.RequestNewLink, VipEntryCallbackData.EncodeRequestNewLink()))
                    : BuildPrompt(invalidAtStage3, culture));
            }

            var step = await GetStepAsync(subscriberId, culture, cancellationToken).ConfigureAwait(false);
            return step with { Result = step.Result with { Outcome = VipEntryOutcome.InvalidInput } };
        }

        var pressed = callback.Action switch
        {
            VipEntryCallbackAction.Advance => await AdvanceAsync(subscriberId, callback.Stage, cancellationToken).ConfigureAwait(false),
            VipEntryCallbackAction.RequestReentry => await RequestReentryAsync(subscriberId, cancellationToken).ConfigureAwait(false),
            _ => await ReissueAccessAsync(subscriberId, cancellationToken).ConfigureAwait(false),
        };

        culture ??= CultureInfo.GetCultureInfo(Options.DefaultCulture);
        if (pressed.Access is not null || pressed.Outcome is VipEntryOutcome.ReissueTooSoon or VipEntryOutcome.LinkIssuerFailed)
        {
            return new VipEntryStep(pressed, BuildPrompt(pressed, culture));
        }

        var next = await GetStepAsync(subscriberId, culture, cancellationToken).ConfigureAwait(false);

        // The stage-2 press that also delivered the grant says so in its outcome (AccessIssued), not only through Access.
        var outcome = pressed.Outcome == VipEntryOutcome.Advanced && next.Result.Outcome is VipEntryOutcome.AccessIssued
            ? next.Result.Outcome
            : pressed.Outcome;
        return next with { Result = next.Result with { Outcome = outcome, LinksToRevoke = [.. pressed.LinksToRevoke, .. next.Result.LinksToRevoke] } };
    }

    // Stage 3's grant (reentry: false) or a completed member's re-entry grant (reentry: true, R16): the same rules of
    // issue, showing again, cooldown and replacement; only the stage the grant belongs to differs.
    private async ValueTask<VipEntryResult> DeliverAsync(long subscriberId, bool reentry, bool reissue, CancellationToken cancellationToken)
    {
        var lifetime = Options.LinkLifetime;
        var stage = reentry ? VipEntryStage.Completed : VipEntryStage.AccessDelivery;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = Now;
            var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return VipEntryResult.Of(VipEntryOutcome.NotEnrolled, subscriberId, VipEntryStage.NotEnrolled);
            }

            if (!current.IsActiveAt(now))
            {
                return VipEntryResult.Of(VipEntryOutcome.SubscriptionExpired, subscriberId, current.Stage);
            }

            if (current.Stage != stage)
            {
                // R4: nothing reaches a grant without passing stages 1 and 2; re-entry is for completed members only.
                return VipEntryResult.Of(current.Stage == VipEntryStage.Completed ? VipEntryOutcome.AlreadyCompleted : VipEntryOutcome.WrongStage, subscriberId, current.Stage);
            }

            if (current.GrantTokenHash is null)
            {
                var issued = await TryIssueAsync(current, expectedHash: null, now, lifetime, isReissue: false, cancellationToken).ConfigureAwait(false);
                if (issued is null)
                {
                    continue;
                }

                return issued;
            }

            var live = current.HasLiveGrant(now, lifetime);
            if (live && current.GrantLink is not null)
            {
                return VipEntryResult.Of(VipEntryOutcome.AccessShown, subscriberId, current.Stage) with
                {
                    Access = new VipEntryAccess(current.GrantLink, current.GrantExpiresAt(lifetime)!.Value, CanBeShownAgain: true),
                };
            }

            if (!reissue)
            {
                return VipEntryResult.Of(live ? VipEntryOutcome.AccessAlreadyDelivered : VipEntryOutcome.LinkExpired, subscriberId, current.Stage);
            }

            // R7: replace an expired grant, or one whose link cannot be shown again, after the cooldown. A grant with no
            // issue time (written by hand or by another program) counts as expired.
            if (current.GrantIssuedAt is { } issuedAt && now < issuedAt + Options.ReissueCooldown)
            {
                return VipEntryResult.Of(VipEntryOutcome.ReissueTooSoon, subscriberId, current.Stage) with { RetryAfter = issuedAt + Options.ReissueCooldown - now };
            }

            var replaced = await TryIssueAsync(current, current.GrantTokenHash, now, lifetime, isReissue: true, cancellationToken).ConfigureAwait(false);
            if (replaced is not null)
            {
                return replaced;
            }
        }

        VipEntryLog.Conflict(_logger, reentry ? nameof(RequestReentryAsync) : nameof(DeliverAccessAsync), subscriberId);
        return await ResultAtCurrentStageAsync(VipEntryOutcome.Conflict, subscriberId, cancellationToken).ConfigureAwait(false);
    }

    // Returns null when the compare-and-set lost, so the caller re-reads and decides again.
    private async ValueTask<VipEntryResult?> TryIssueAsync(VipEntryRecord current, string? expectedHash, DateTimeOffset now, TimeSpan lifetime, bool isReissue, CancellationToken cancellationToken)
    {
        var subscriberId = current.SubscriberId;
        var token = _tokens.Generate();
        var hash = token.ComputeHash();
        var cooldownEdge = now - Options.ReissueCooldown;
        if (!await TryWriteGrantAsync(current, expectedHash, hash, now, cooldownEdge, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var expiresAt = now + lifetime;
        VipEntryLinkIssueResult link;
        try
        {
            link = await _issuer.IssueAsync(new VipEntryLinkRequest(subscriberId, token, expiresAt), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A cancelled issuer made no link we know of: withdraw the grant (whatever the caller's token says), so the
            // member is not told a link was delivered and can ask again at once.
            await _store.TryWithdrawGrantAsync(subscriberId, hash, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex)
        {
            link = VipEntryLinkIssueResult.Failed(ex.GetType().Name);
        }

        var revoke = LinkList(isReissue ? current.GrantLink : null);

        // R12: a link that carries the token is never stored, even if the issuer asked for it to be recorded.
        if (link.Succeeded && link.Record && link.Link!.Contains(token.Value, StringComparison.Ordinal))
        {
            link = VipEntryLinkIssueResult.CarriesToken(link.Link);
        }

        if (!link.Succeeded)
        {
            VipEntryLog.IssuerFailed(_logger, subscriberId, link.Error ?? "unknown");
            await _store.TryWithdrawGrantAsync(subscriberId, hash, CancellationToken.None).ConfigureAwait(false);
            return VipEntryResult.Of(VipEntryOutcome.LinkIssuerFailed, subscriberId, current.Stage) with { LinksToRevoke = revoke };
        }

        // Store a secret-free link before it is handed out, so it can be shown again and revoked. The link exists now:
        // recording it is not cancelled half-way, or the transport would hold a link the row does not know.
        if (link.Record && !await RecordLinkAsync(subscriberId, hash, link.Link!).ConfigureAwait(false))
        {
            VipEntryLog.IssuerFailed(_logger, subscriberId, "the link could not be recorded");
            await WithdrawGrantAsync(subscriberId, hash).ConfigureAwait(false);
            return VipEntryResult.Of(VipEntryOutcome.LinkIssuerFailed, subscriberId, current.Stage) with { LinksToRevoke = [.. revoke, link.Link!] };
        }

        VipEntryLog.Issued(_logger, subscriberId, expiresAt, isReissue);
        _metrics.Issued(isReissue);
        return VipEntryResult.Of(isReissue ? VipEntryOutcome.AccessReissued : VipEntryOutcome.AccessIssued, subscriberId, current.Stage) with
        {
            Access = new VipEntryAccess(link.Link!, expiresAt, link.Record),
            LinksToRevoke = revoke,
        };
    }

    // Writes a new grant; true when the row holds it afterwards, false when another writer got in first. A write whose answer
    // was lost after it committed (a connection dropped) is reported as lost by the store, or throws (Npgsql's execution
    // strategy wraps transient errors), yet the row holds this grant's hash: it is ours and goes on (issue 10, fault 1).
    private async ValueTask<bool> TryWriteGrantAsync(VipEntryRecord current, string? expectedHash, string hash, DateTimeOffset now, DateTimeOffset cooldownEdge, CancellationToken cancellationToken)
    {
        var subscriberId = current.SubscriberId;
        try
        {
            if (await _store.TryIssueGrantAsync(subscriberId, current.Stage, expectedHash, hash, now, cooldownEdge, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }
        catch (OperationCanceledException)
        {
            // Cancelled mid-write: whether it committed or not, no link will be made for it.
            await WithdrawGrantAsync(subscriberId, hash).ConfigureAwait(false);
            throw;
        }
        catch (Exception)
        {
            if (!await HoldsGrantAsync(subscriberId, hash).ConfigureAwait(false))
            {
                throw;
            }

            return true;
        }

        return await HoldsGrantAsync(subscriberId, hash).ConfigureAwait(false);
    }

    private async ValueTask<bool> HoldsGrantAsync(long subscriberId, string hash)
    {
        try
        {
            var row = await _store.FindAsync(subscriberId, CancellationToken.None).ConfigureAwait(false);
            return row is not null && string.Equals(row.GrantTokenHash, hash, StringComparison.Ordinal);
        }
        catch (Exception ex)
        {
            VipEntryLog.IssuerFailed(_logger, subscriberId, "reading the grant back failed: " + ex.GetType().Name);
            return false;
        }
    }

    // Records the transport link of a grant just issued; true when the row holds it afterwards. The link exists at the
    // transport by now, so a store failure is not thrown past the caller (who must learn the link, to revoke it), and the
    // store's answer is checked against the row: a write whose answer was lost after it committed (a dropped connection)
    // is reported as failed, or throws, although the link is recorded (issue 10, faults 2 and 3).
    private async ValueTask<bool> RecordLinkAsync(long subscriberId, string hash, string link)
    {
        try
        {
            if (await _store.TryRecordLinkAsync(subscriberId, hash, link, CancellationToken.None).ConfigureAwait(false))
            {
                return true;
            }
        }
        catch (Exception ex)
        {
            VipEntryLog.IssuerFailed(_logger, subscriberId, "recording the link failed: " + ex.GetType().Name);
        }

        try
        {
            var row = await _store.FindAsync(subscriberId, CancellationToken.None).ConfigureAwait(false);
            return row is not null && string.Equals(row.GrantTokenHash, hash, StringComparison.Ordinal) && string.Equals(row.GrantLink, link, StringComparison.Ordinal);
        }
        catch (Exception ex)
        {
            VipEntryLog.IssuerFailed(_logger, subscriberId, "reading the link back failed: " + ex.GetType().Name);
            return false;
        }
    }

    // Withdraws a grant whose link is not recorded, best effort: if the store fails too, the grant stays without a link and
    // counts as one that cannot be shown again (a reissue replaces it after the cooldown).
    private async ValueTask WithdrawGrantAsync(long subscriberId, string hash)
    {
        try
        {
            await _store.TryWithdrawGrantAsync(subscriberId, hash, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            VipEntryLog.IssuerFailed(_logger, subscriberId, "withdrawing the grant failed: " + ex.GetType().Name);
        }
    }

    private async ValueTask<VipEntryResult> RedeemAsync(long claimantId, VipEntryRecord owner, CancellationToken cancellationToken)
    {
        if (owner.SubscriberId != claimantId)
        {
            // A forwarded link: refused, and the owner's grant stays valid (R6).
            return Refuse(claimantId, VipEntryResult.Of(VipEntryOutcome.Refused, claimantId, await StageOfAsync(claimantId, cancellationToken).ConfigureAwait(false)));
        }

        var now = Now;
        var lifetime = Options.LinkLifetime;

        // A grant held by a completed member is a re-entry grant (R16): redeeming it lets them back in, still completed.
        var reentry = owner.Stage == VipEntryStage.Completed;
        if (await _store.TryRedeemAsync(claimantId, owner.Stage, owner.GrantTokenHash!, now, now - lifetime, cancellationToken).ConfigureAwait(false))
        {
            if (reentry)
            {
                VipEntryLog.Readmitted(_logger, claimantId);
                _metrics.Readmitted();
                await NotifyAsync(claimantId, VipEntryStage.Completed, VipEntryStage.Completed, VipEntryTrigger.Reenter, now, cancellationToken).ConfigureAwait(false);
                return VipEntryResult.Of(VipEntryOutcome.Readmitted, claimantId, VipEntryStage.Completed) with { LinksToRevoke = LinkList(owner.GrantLink) };
            }

            VipEntryLog.Redeemed(_logger, claimantId);
            _metrics.Redeemed();
            await NotifyAsync(claimantId, VipEntryStage.AccessDelivery, VipEntryStage.Completed, VipEntryTrigger.Redeem, now, cancellationToken).ConfigureAwait(false);
            return VipEntryResult.Of(VipEntryOutcome.Redeemed, claimantId, VipEntryStage.Completed) with { LinksToRevoke = LinkList(owner.GrantLink) };
        }

        var current = await _store.FindAsync(claimantId, cancellationToken).ConfigureAwait(false);
        var outcome = current switch
        {
            null => VipEntryOutcome.NotEnrolled,
            _ when !string.Equals(current.GrantTokenHash, owner.GrantTokenHash, StringComparison.Ordinal) =>
                current.Stage == VipEntryStage.Completed ? VipEntryOutcome.AlreadyCompleted : VipEntryOutcome.UnknownGrant,
            _ when !current.IsActiveAt(now) => VipEntryOutcome.SubscriptionExpired,
            _ when !current.HasLiveGrant(now, lifetime) => VipEntryOutcome.LinkExpired,
            _ => VipEntryOutcome.WrongStage,
        };
        return Refuse(claimantId, VipEntryResult.Of(outcome, claimantId, current?.Stage ?? VipEntryStage.NotEnrolled));
    }

    private async ValueTask<VipEntryResult> UnknownGrantAsync(long claimantId, CancellationToken cancellationToken)
    {
        var current = await _store.FindAsync(claimantId, cancellationToken).ConfigureAwait(false);
        var outcome = current switch
        {
            { Stage: VipEntryStage.Completed } when current.IsActiveAt(Now) => VipEntryOutcome.AlreadyCompleted,
            { Stage: VipEntryStage.Completed } => VipEntryOutcome.SubscriptionExpired,
            _ => VipEntryOutcome.UnknownGrant,
        };
        return VipEntryResult.Of(outcome, claimantId, current?.Stage ?? VipEntryStage.NotEnrolled);
    }

    private VipEntryResult Refuse(long claimantId, VipEntryResult result)
    {
        VipEntryLog.RedemptionRefused(_logger, claimantId, result.Outcome);
        _metrics.Refused(result.Outcome.ToString());
        return result;
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

    // Ill-formed UTF-16 (a lone surrogate) cannot be sent to a database: Npgsql throws EncoderFallbackException (issue 10).
    private static bool IsWellFormedUtf16(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static IReadOnlyList<string> LinkList(string? link) => link is null ? [] : [link];

    private VipEntryNudge Nudged(VipEntryNudge nudge)
    {
        VipEntryLog.Nudged(_logger, nudge.SubscriberId, nudge.Kind, nudge.Stage);
        _metrics.Nudged(nudge.Kind.ToString());
        return nudge;
    }

    private VipEntryPrompt BuildPrompt(VipEntryResult result, CultureInfo culture)
    {
        string Notice(VipEntryNotice n) => _messages.GetNotice(n, culture);
        VipEntryButton NewLinkButton() => new(_messages.GetStageMessage(VipEntryStage.AccessDelivery, culture).ButtonLabel, VipEntryButtonKind.RequestNewLink, VipEntryCallbackData.EncodeRequestNewLink());
        VipEntryButton ReentryButton() => new(Notice(VipEntryNotice.ReentryButton), VipEntryButtonKind.RequestReentry, VipEntryCallbackData.EncodeRequestReentry());

        if (result.Access is { } access)
        {
            var stage3 = _messages.GetStageMessage(VipEntryStage.AccessDelivery, culture);
            var text = stage3.Text.Replace("{expires}", access.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), StringComparison.Ordinal);
            return new VipEntryPrompt(text, new VipEntryButton(stage3.ButtonLabel, VipEntryButtonKind.OpenLink, access.Link));
        }

        return result.Outcome switch
        {
            VipEntryOutcome.NotEnrolled => new(Notice(VipEntryNotice.NotEnrolled), null),
            VipEntryOutcome.AlreadyCompleted => new(Notice(VipEntryNotice.AlreadyCompleted), ReentryButton()),
            VipEntryOutcome.Redeemed or VipEntryOutcome.Readmitted or VipEntryOutcome.Skipped => new(Notice(VipEntryNotice.Welcome), null),
            VipEntryOutcome.SubscriptionExpired => new(Notice(VipEntryNotice.SubscriptionExpired), null),
            VipEntryOutcome.LinkExpired => new(Notice(VipEntryNotice.LinkExpired), NewLinkButton()),
            VipEntryOutcome.AccessAlreadyDelivered => new(Notice(VipEntryNotice.LinkAlreadyDelivered), NewLinkButton()),
            VipEntryOutcome.ReissueTooSoon => new(WithRetryAfter(Notice(VipEntryNotice.ReissueTooSoon), result.RetryAfter, culture), null),
            VipEntryOutcome.LinkIssuerFailed or VipEntryOutcome.Conflict => new(Notice(VipEntryNotice.TryAgain), null),
            _ when result.Stage is VipEntryStage.ActivationConfirmation or VipEntryStage.ExpectationAlignment => StagePrompt(result.Stage, culture),
            _ when result.Stage == VipEntryStage.Completed => new(Notice(VipEntryNotice.AlreadyCompleted), ReentryButton()),
            _ => new(Notice(VipEntryNotice.TryAgain), null),
        };
    }

    // "{retryAfter}" becomes "4 minutes" / "4 minutos" (rounded up; seconds under a minute); "{minutes}" the bare number.
    internal static string WithRetryAfter(string text, TimeSpan? retryAfter, CultureInfo culture)
    {
        var wait = retryAfter is { } r && r > TimeSpan.Zero ? r : TimeSpan.Zero;
        var minutes = (int)Math.Ceiling(wait.TotalMinutes);
        var seconds = (int)Math.Ceiling(wait.TotalSeconds);
        var spanish = string.Equals(culture.TwoLetterISOLanguageName, "es", StringComparison.OrdinalIgnoreCase);
        var phrase = (seconds < 60, spanish) switch
        {
            (true, false) => seconds == 1 ? "1 second" : $"{seconds.ToString(CultureInfo.InvariantCulture)} seconds",
            (true, true) => seconds == 1 ? "1 segundo" : $"{seconds.ToString(CultureInfo.InvariantCulture)} segundos",
            (false, false) => minutes == 1 ? "1 minute" : $"{minutes.ToString(CultureInfo.InvariantCulture)} minutes",
            (false, true) => minutes == 1 ? "1 minuto" : $"{minutes.ToString(CultureInfo.InvariantCulture)} minutos",
        };
        return text
            .Replace("{retryAfter}", phrase, StringComparison.Ordinal)
            .Replace("{minutes}", Math.Max(minutes, 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private VipEntryPrompt StagePrompt(VipEntryStage stage, CultureInfo culture)
    {
        var m = _messages.GetStageMessage(stage, culture);
        return new VipEntryPrompt(m.Text, new VipEntryButton(m.ButtonLabel, VipEntryButtonKind.Advance, VipEntryCallbackData.EncodeAdvance(stage)));
    }

    private async ValueTask NotifyAsync(long subscriberId, VipEntryStage from, VipEntryStage to, VipEntryTrigger trigger, DateTimeOffset at, CancellationToken cancellationToken)
    {
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
