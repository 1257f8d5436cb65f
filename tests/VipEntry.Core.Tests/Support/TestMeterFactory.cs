using System.Diagnostics.Metrics;

namespace VipEntry.Core.Tests.Support;

/// <summary>Creates meters scoped to this factory, so a test's MetricCollector sees only its own engine.</summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var m in _meters)
            {
                m.Dispose();
            }

            _meters.Clear();
        }
    }
}
