using VipEntry.Core.EfCore;
using VipEntry.Load.Checking;
using VipEntry.Load.Coordination;
using VipEntry.Load.Logging;
using VipEntry.Load.Storage;

namespace VipEntry.Load.Tests;

/// <summary>
/// Hand-written logs and rows for the checker: one graceful worker "w0" whose operations are given with their intent and
/// result times (seconds after a fixed origin), so a test can plant exactly one violation and see it found.
/// </summary>
public sealed class SyntheticRun : IDisposable
{
    public static readonly DateTimeOffset Origin = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"vipentry-checker-{Guid.NewGuid():N}");
    private readonly List<LogLine> _lines = [];
    private readonly Dictionary<string, long> _sent = new(StringComparer.Ordinal);
    private long _seq;

    public SyntheticRun() => Directory.CreateDirectory(_directory);

    public List<VipEntrySubscriber> Rows { get; } = [];

    /// <summary>The model chat after the drain.</summary>
    public List<LoadChannelRow> Chat { get; } = [];

    /// <summary>The engine's channel facts after the drain.</summary>
    public List<EngineChannelFact> Facts { get; } = [];

    public bool WithoutSummary { get; set; }

    public static long At(double seconds) => Origin.UtcTicks + (long)(seconds * TimeSpan.TicksPerSecond);

    /// <summary>Logs one operation; <paramref name="result"/> null leaves it without a result line.</summary>
    public long Op(double start, double? end, LogLine intent, string? outcome, int? stage = null, Action<LogLine>? result = null)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var seq = ++_seq;
        intent.Kind = "intent";
        intent.Seq = seq;
        intent.Ticks = At(start);
        _lines.Add(intent);
        _sent[intent.Op!] = _sent.GetValueOrDefault(intent.Op!) + 1;
        if (end is { } e)
        {
            var line = new LogLine { Kind = "result", Seq = seq, Ticks = At(e), Op = intent.Op, Mode = intent.Mode, Subscriber = intent.Subscriber, Claimant = intent.Claimant, Outcome = outcome, Stage = stage };
            result?.Invoke(line);
            _lines.Add(line);
        }

        return seq;
    }

    public void Issued(long seq, double at, long owner, string hash, string? link) =>
        _lines.Add(new LogLine { Kind = "issued", Seq = seq, Ticks = At(at), Subscriber = owner, TokenHash = hash, Link = link });

    public void Seed(long subscriber, double endsAt) =>
        Op(0, 0.1, new LogLine { Op = "Seed", Subscriber = subscriber, End = At(endsAt) }, "Started", 1);

    public RunSummary Check(double drainedAt = 100, double snapshotAt = 100)
    {
        var file = Path.Combine(_directory, "w0.jsonl");
        using (var log = new JsonlLog(file, "w0"))
        {
            foreach (var line in _lines)
            {
                log.Write(line);
            }

            if (!WithoutSummary)
            {
                log.Write(new LogLine { Kind = "summary", Ticks = At(99), Sent = new Dictionary<string, long>(_sent, StringComparer.Ordinal) });
            }
        }

        var manifest = new RunManifest
        {
            Concurrency = 4,
            DrainedAtTicks = At(drainedAt),
            Workers = [new WorkerEntry { Id = "w0", LogFile = file }],
        };
        return Checker.Check(manifest, RunLogs.Read(manifest), Rows, new DateTimeOffset(At(snapshotAt), TimeSpan.Zero), Chat, Facts);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
