using System.Collections.Concurrent;
using System.Globalization;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Load.Logging;

namespace VipEntry.Load.Workers;

/// <summary>
/// The engine as a process of the run sees it: every call goes to the real engine; the sweeps and lapse confirmations the
/// channel worker makes inside a cycle are logged as <c>Sweep</c> (with the claims) and <c>ConfirmLapse</c> operations, so
/// the checker sees who claimed and confirmed each lapse. In a share (<see cref="ChannelFaults.DropClaims"/>) of the sweeps
/// that claim lapses, the worker "crashes" when it comes to confirm one of them (<see cref="SimulatedCrashException"/>),
/// before the confirmation is sent: that claim and the batch's later ones are dropped (logged as such when swept), and
/// their leases hand them out again. One instance per scope (one cycle), like the engine.
/// </summary>
public sealed class LoggingStateMachine(IVipEntryStateMachine inner, OpRunner ops, ChannelFaults faults) : IVipEntryStateMachine
{
    private readonly ConcurrentDictionary<string, bool> _dropped = new(StringComparer.Ordinal);

    public ValueTask<VipEntryResult> ActivateAsync(long subscriberId, DateTimeOffset subscriptionEndsAt, CancellationToken cancellationToken = default) =>
        inner.ActivateAsync(subscriberId, subscriptionEndsAt, cancellationToken);

    public ValueTask<VipEntryBulkActivationResult> ActivateManyAsync(IEnumerable<VipEntryActivation> activations, CancellationToken cancellationToken = default) =>
        inner.ActivateManyAsync(activations, cancellationToken);

    public ValueTask RememberCultureAsync(long personId, CultureInfo culture, CancellationToken cancellationToken = default) =>
        inner.RememberCultureAsync(personId, culture, cancellationToken);

    public ValueTask<CultureInfo> GetCultureAsync(long personId, CancellationToken cancellationToken = default) =>
        inner.GetCultureAsync(personId, cancellationToken);

    public ValueTask<VipEntryStep> GetStepAsync(long subscriberId, CultureInfo? culture = null, CancellationToken cancellationToken = default) =>
        inner.GetStepAsync(subscriberId, culture, cancellationToken);

    public ValueTask<VipEntryResult> AdvanceAsync(long subscriberId, VipEntryStage from, CancellationToken cancellationToken = default) =>
        inner.AdvanceAsync(subscriberId, from, cancellationToken);

    public ValueTask<VipEntryStep> HandleCallbackAsync(long subscriberId, string? callbackData, CultureInfo? culture = null, CancellationToken cancellationToken = default) =>
        inner.HandleCallbackAsync(subscriberId, callbackData, culture, cancellationToken);

    public ValueTask<VipEntryResult> DeliverAccessAsync(long subscriberId, CancellationToken cancellationToken = default) =>
        inner.DeliverAccessAsync(subscriberId, cancellationToken);

    public ValueTask<VipEntryResult> ReissueAccessAsync(long subscriberId, CancellationToken cancellationToken = default) =>
        inner.ReissueAccessAsync(subscriberId, cancellationToken);

    public ValueTask<VipEntryResult> RequestReentryAsync(long subscriberId, CancellationToken cancellationToken = default) =>
        inner.RequestReentryAsync(subscriberId, cancellationToken);

    public ValueTask<bool> ReportInsideAsync(long personId, CancellationToken cancellationToken = default) =>
        inner.ReportInsideAsync(personId, cancellationToken);

    public ValueTask ReportOutsideAsync(long personId, CancellationToken cancellationToken = default) =>
        inner.ReportOutsideAsync(personId, cancellationToken);

    public ValueTask<VipEntryStatus> GetStatusAsync(long subscriberId, CancellationToken cancellationToken = default) =>
        inner.GetStatusAsync(subscriberId, cancellationToken);

    public ValueTask<VipEntryResult> RedeemTokenAsync(long claimantId, string? token, CancellationToken cancellationToken = default) =>
        inner.RedeemTokenAsync(claimantId, token, cancellationToken);

    public ValueTask<VipEntryResult> RedeemLinkAsync(long claimantId, string? link, CancellationToken cancellationToken = default) =>
        inner.RedeemLinkAsync(claimantId, link, cancellationToken);

    public ValueTask<VipEntryResult> SkipAsync(long subscriberId, string actor, string reason, CancellationToken cancellationToken = default) =>
        inner.SkipAsync(subscriberId, actor, reason, cancellationToken);

    public ValueTask<VipEntryResult> EndSubscriptionAsync(long subscriberId, CancellationToken cancellationToken = default) =>
        inner.EndSubscriptionAsync(subscriberId, cancellationToken);

    public async ValueTask<VipEntrySweepResult> SweepAsync(CancellationToken cancellationToken = default) =>
        await ops.LogCallAsync(
            new LogLine { Op = "Sweep", Mode = "cycle" },
            () => inner.SweepAsync(cancellationToken).AsTask(),
            (line, r) =>
            {
                line.Outcome = "Swept";
                line.Claims = [];

                // A share of the sweeps that claim lapses end in a "crash" at one of the confirmations: that claim and every
                // later one of the batch are dropped unconfirmed.
                var crashAt = r.Lapses.Count > 0 && faults.DropClaim() ? Random.Shared.Next(r.Lapses.Count) : int.MaxValue;

                for (var i = 0; i < r.Lapses.Count; i++)
                {
                    var lapse = r.Lapses[i];
                    var drop = i >= crashAt;
                    if (drop)
                    {
                        _dropped[lapse.ClaimId] = true;
                    }

                    line.Claims.Add(LapseClaims.Record(lapse, drop));
                }
            }).ConfigureAwait(false);

    public async ValueTask<VipEntryResult> ConfirmLapseHandledAsync(VipEntryLapse lapse, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lapse);
        if (_dropped.ContainsKey(lapse.ClaimId))
        {
            throw new SimulatedCrashException();
        }

        return await ops.LogCallAsync(
            new LogLine { Op = "ConfirmLapse", Subscriber = lapse.SubscriberId, ClaimId = lapse.ClaimId, End = lapse.SubscriptionEndedAt.UtcTicks },
            () => inner.ConfirmLapseHandledAsync(lapse, cancellationToken).AsTask(),
            (line, r) =>
            {
                OpRunner.Describe(line, r);
                line.ClaimId = lapse.ClaimId;
                line.End = lapse.SubscriptionEndedAt.UtcTicks;
            }).ConfigureAwait(false);
    }

    public ValueTask<VipEntryNudgeBatch> ClaimNudgesAsync(CancellationToken cancellationToken = default) =>
        inner.ClaimNudgesAsync(cancellationToken);

    public ValueTask<VipEntryFunnel> GetFunnelAsync(CancellationToken cancellationToken = default) =>
        inner.GetFunnelAsync(cancellationToken);
}
