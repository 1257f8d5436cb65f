namespace VipEntry.Load.Coordination;

/// <summary>What the coordinator did: the settings, every worker process (killed or not) and when the drain finished.</summary>
public sealed class RunManifest
{
    public string Engine { get; set; } = "";

    public int Processes { get; set; }

    public int Subscribers { get; set; }

    public double Seconds { get; set; }

    public double KillEvery { get; set; }

    public int Seed { get; set; }

    public int Concurrency { get; set; }

    public double LeaseSeconds { get; set; }

    /// <summary>Virtual seconds per real second of the run's shared clock.</summary>
    public double TimeScale { get; set; } = 1;

    /// <summary>The real instant (UTC ticks) the virtual clock counts from; every time below and in the logs is virtual.</summary>
    public long TimeEpochTicks { get; set; }

    public long StartedTicks { get; set; }

    public long UntilTicks { get; set; }

    /// <summary>The instant at which the drain saw nothing owed (every lapse ended by then confirmed); 0 when it never did.</summary>
    public long DrainedAtTicks { get; set; }

    public double SeedSeconds { get; set; }

    public double DrainSeconds { get; set; }

    public List<WorkerEntry> Workers { get; set; } = [];

    /// <summary>Logs written by the coordinator itself (the seed and the drain).</summary>
    public List<string> CoordinatorLogs { get; set; } = [];

    public List<string> Problems { get; set; } = [];
}
