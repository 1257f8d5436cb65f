using VipEntry.Load.Coordination;
using VipEntry.Load.Logging;

namespace VipEntry.Load.Checking;

/// <summary>Every process's log of one run, paired into operations (intent + result), with the grants the issuers logged.</summary>
public sealed class RunLogs
{
    public List<LoggedOp> Ops { get; } = [];

    public List<LogLine> Issued { get; } = [];

    public InvariantResult Counts { get; } = new() { Name = "the result counts add up to the operations sent" };

    public static RunLogs Read(RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var logs = new RunLogs();
        foreach (var worker in manifest.Workers)
        {
            logs.ReadFile(worker.LogFile, worker.Id, worker.Killed, isWorker: true, manifest.Concurrency);
        }

        foreach (var file in manifest.CoordinatorLogs)
        {
            logs.ReadFile(file, Path.GetFileNameWithoutExtension(file), killed: false, isWorker: false, manifest.Concurrency);
        }

        return logs;
    }

    private void ReadFile(string path, string id, bool killed, bool isWorker, int concurrency)
    {
        var counts = Counts;
        if (!File.Exists(path))
        {
            counts.Fail($"{id}: no log at {path}");
            return;
        }

        var (lines, torn) = JsonlLog.Read(path);
        counts.Cover("log files");
        if (torn > 0 && (!killed || torn > 1))
        {
            counts.Fail($"{id}: {torn} unreadable lines");
        }

        var open = new Dictionary<long, LoggedOp>();
        var results = new Dictionary<string, long>(StringComparer.Ordinal);
        Dictionary<string, long>? sent = null;
        foreach (var line in lines)
        {
            switch (line.Kind)
            {
                case "intent":
                    var op = new LoggedOp(line, killed);
                    open[line.Seq] = op;
                    Ops.Add(op);
                    break;
                case "result":
                    if (!open.Remove(line.Seq, out var pending))
                    {
                        counts.Fail($"{id}: result #{line.Seq} ({line.Op}, subscriber {line.Subscriber}) without an intent");
                        break;
                    }

                    pending.Result = line;
                    results[line.Op!] = results.GetValueOrDefault(line.Op!) + 1;
                    break;
                case "issued":
                    Issued.Add(line);
                    break;
                case "summary":
                    sent = line.Sent;
                    break;
                default:
                    counts.Fail($"{id}: unknown line kind '{line.Kind}'");
                    break;
            }
        }

        counts.Cover("intents", lines.Count(l => l.Kind == "intent"));
        counts.Cover("results", results.Values.Sum());
        if (killed)
        {
            counts.Cover("lost in flight (killed processes)", open.Count);
            if (open.Count > concurrency * 2)
            {
                counts.Fail($"{id}: {open.Count} operations without a result, more than could be in flight ({concurrency * 2})");
            }

            return;
        }

        foreach (var lost in open.Values)
        {
            counts.Fail($"subscriber {lost.Intent.Subscriber}: {id}#{lost.Intent.Seq} {lost.Op} has no result though its process stopped gracefully");
        }

        if (!isWorker)
        {
            return;
        }

        if (sent is null)
        {
            counts.Fail($"{id}: stopped gracefully without its summary line");
            return;
        }

        foreach (var op in sent.Keys.Union(results.Keys))
        {
            if (sent.GetValueOrDefault(op) != results.GetValueOrDefault(op))
            {
                counts.Fail($"{id}: sent {sent.GetValueOrDefault(op)} {op} but logged {results.GetValueOrDefault(op)} results");
            }
        }

        counts.Cover("ops sent (graceful workers' own count)", sent.Values.Sum());
    }
}
