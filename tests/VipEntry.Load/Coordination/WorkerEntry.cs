namespace VipEntry.Load.Coordination;

/// <summary>One worker process of the run: its log, whether the coordinator killed it (SIGKILL), how it ended.</summary>
public sealed class WorkerEntry
{
    public string Id { get; set; } = "";

    public string LogFile { get; set; } = "";

    public bool Killed { get; set; }

    public int? ExitCode { get; set; }

    public long StartedTicks { get; set; }

    public long EndedTicks { get; set; }

    public string? OutputTail { get; set; }
}
