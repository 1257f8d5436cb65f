using System.Diagnostics.Metrics;
using VipEntry.Core.Stages;

namespace VipEntry.Core.Diagnostics;

/// <summary>
/// The instruments of the <c>VipEntry</c> meter (R15). Tags are stages and outcomes only, never tokens or links.
/// </summary>
public sealed class VipEntryMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "VipEntry";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _started;
    private readonly Counter<long> _advanced;
    private readonly Counter<long> _issued;
    private readonly Counter<long> _redeemed;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _expired;
    private readonly Counter<long> _skipped;
    private readonly Counter<long> _readmitted;
    private readonly Counter<long> _lapseConfirmed;
    private readonly Counter<long> _nudged;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or on an own meter when it is <see langword="null"/>.</summary>
    /// <param name="meterFactory">The host's meter factory, if any.</param>
    public VipEntryMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _started = _meter.CreateCounter<long>("vipentry.ritual.started", "{subscriber}", "Subscribers put at stage 1 (activation or restart).");
        _advanced = _meter.CreateCounter<long>("vipentry.ritual.advanced", "{subscriber}", "Advances, tagged with the stage reached.");
        _issued = _meter.CreateCounter<long>("vipentry.access.issued", "{grant}", "Access grants issued or reissued.");
        _redeemed = _meter.CreateCounter<long>("vipentry.access.redeemed", "{grant}", "Access grants redeemed (ritual completed).");
        _refused = _meter.CreateCounter<long>("vipentry.access.refused", "{attempt}", "Redemptions refused, tagged with the reason.");
        _expired = _meter.CreateCounter<long>("vipentry.subscription.expired", "{subscriber}", "Lapsed subscribers reported by a sweep.");
        _skipped = _meter.CreateCounter<long>("vipentry.ritual.skipped", "{subscriber}", "Administrative skips.");
        _readmitted = _meter.CreateCounter<long>("vipentry.access.readmitted", "{grant}", "Re-entry grants redeemed by completed members (R16).");
        _nudged = _meter.CreateCounter<long>("vipentry.nudge.claimed", "{nudge}", "Reminders handed out, tagged with the kind (R18).");
        _lapseConfirmed = _meter.CreateCounter<long>("vipentry.lapse.confirmed", "{lapse}", "Owed channel work of lapses confirmed, tagged with the outcome (R17).");
    }

    internal void Started() => _started.Add(1);

    internal void Advanced(VipEntryStage to) => _advanced.Add(1, new KeyValuePair<string, object?>("vipentry.stage", (int)to));

    internal void Issued(bool reissue) => _issued.Add(1, new KeyValuePair<string, object?>("vipentry.reissue", reissue));

    internal void Redeemed() => _redeemed.Add(1);

    internal void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("vipentry.reason", reason));

    internal void Expired() => _expired.Add(1);

    internal void Skipped() => _skipped.Add(1);

    internal void Readmitted() => _readmitted.Add(1);

    internal void Nudged(string kind) => _nudged.Add(1, new KeyValuePair<string, object?>("vipentry.kind", kind));

    internal void LapseConfirmed(string outcome) => _lapseConfirmed.Add(1, new KeyValuePair<string, object?>("vipentry.outcome", outcome));

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
