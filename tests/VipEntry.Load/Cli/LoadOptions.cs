using System.Globalization;
using VipEntry.Load.Timing;

namespace VipEntry.Load.Cli;

/// <summary>The command line of both modes (<c>run</c> and <c>worker</c>), parsed from <c>--name value</c> pairs.</summary>
public sealed class LoadOptions
{
    public string Mode { get; private set; } = "";

    public LoadEngine Engine { get; private set; } = LoadEngine.Postgres;

    /// <summary>Run: the server (PostgreSQL) to create the scratch database on, or ignored (SQLite). Worker: the database itself.</summary>
    public string Connection { get; private set; } = "";

    /// <summary>PostgreSQL: the scratch database's name, dropped and recreated at the start.</summary>
    public string Database { get; private set; } = "vipentry_load";

    /// <summary>Drop the scratch database (PostgreSQL) at the end.</summary>
    public bool Drop { get; private set; }

    public int Processes { get; private set; } = 4;

    public int Subscribers { get; private set; } = 10_000;

    /// <summary>The length of the load in real seconds.</summary>
    public double Seconds { get; private set; } = 20;

    /// <summary>The mean interval between kills in real seconds; 0 kills none.</summary>
    public double KillEvery { get; private set; }

    public int Seed { get; private set; } = 10;

    public string Out { get; private set; } = Path.Combine(Path.GetTempPath(), "vipentry-load");

    /// <summary>Operations each worker keeps in flight at once.</summary>
    public int Concurrency { get; private set; } = 4;

    /// <summary>The share of a channel worker's sweeps that claim lapses on which it "crashes" before confirming one (that claim and the batch's later ones are dropped).</summary>
    public double DropClaims { get; private set; } = 0.2;

    /// <summary>
    /// The share of the model chat's port calls that fail: removals before acting, keep-out removals after the ban (the
    /// ban stays), lifts, revocations. The drain runs without failures.
    /// </summary>
    public double PortFailures { get; private set; } = 0.2;

    /// <summary>The lease on a claimed lapse, in virtual seconds (short, so dropped claims are handed out again during the run).</summary>
    public double LeaseSeconds { get; private set; } = 2;

    /// <summary>The reissue cooldown, in virtual seconds.</summary>
    public double CooldownSeconds { get; private set; } = 2;

    /// <summary>The grant lifetime in virtual seconds; 60 s is the least the options allow, so links expire in runs longer than 60 / <see cref="TimeScale"/> real seconds.</summary>
    public double LinkLifetimeSeconds { get; private set; } = 60;

    /// <summary>Virtual seconds per real second of the run's shared clock (<see cref="Clock"/>); 1 is real time.</summary>
    public double TimeScale { get; private set; } = 1;

    /// <summary>The real instant (UTC ticks) the virtual clock starts from: the coordinator's start, passed on to the workers.</summary>
    public long TimeEpochTicks { get; private set; }

    /// <summary>The run's shared clock: every process computes the same virtual time from the same epoch and scale.</summary>
    public ScaledTimeProvider Clock { get; private set; } = new(0, 1);

    // Worker only.
    public string WorkerId { get; private set; } = "";

    public static LoadOptions Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] is not ("run" or "worker"))
        {
            throw new ArgumentException("usage: VipEntry.Load run|worker --engine postgres|sqlite --connection <cs> [--processes 4] [--subscribers 10000] [--seconds 20] [--kill-every 0] [--seed 10] [--time-scale 1] [--out <dir>]");
        }

        var o = new LoadOptions { Mode = args[0] };
        for (var i = 1; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--drop")
            {
                o.Drop = true;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value.");
            }

            var value = args[++i];
            switch (name)
            {
                case "--engine": o.Engine = value.ToUpperInvariant() switch { "POSTGRES" or "POSTGRESQL" => LoadEngine.Postgres, "SQLITE" => LoadEngine.Sqlite, _ => throw new ArgumentException($"unknown engine {value}") }; break;
                case "--connection": o.Connection = value; break;
                case "--database": o.Database = value; break;
                case "--processes": o.Processes = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--subscribers": o.Subscribers = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--seconds": o.Seconds = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--kill-every": o.KillEvery = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--seed": o.Seed = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--out": o.Out = value; break;
                case "--concurrency": o.Concurrency = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--drop-claims": o.DropClaims = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--port-failures": o.PortFailures = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--lease": o.LeaseSeconds = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--cooldown": o.CooldownSeconds = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--link-lifetime": o.LinkLifetimeSeconds = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--time-scale": o.TimeScale = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--time-epoch": o.TimeEpochTicks = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "--worker-id": o.WorkerId = value; break;
                default: throw new ArgumentException($"unknown option {name}");
            }
        }

        if (o.Processes < 1 || o.Subscribers < 1 || o.Seconds <= 0 || o.Concurrency < 1)
        {
            throw new ArgumentException("--processes, --subscribers, --seconds and --concurrency must be positive.");
        }

        if (o.PortFailures is < 0 or > 1 || o.DropClaims is < 0 or > 1)
        {
            throw new ArgumentException("--port-failures and --drop-claims must be between 0 and 1.");
        }

        if (!double.IsFinite(o.TimeScale) || o.TimeScale <= 0)
        {
            throw new ArgumentException("--time-scale must be positive.");
        }

        // The coordinator fixes the epoch now; a worker is given it (a worker started by hand without one counts from its own start).
        if (o.Mode == "run" || o.TimeEpochTicks == 0)
        {
            o.TimeEpochTicks = TimeProvider.System.GetUtcNow().UtcTicks;
        }

        o.Clock = new ScaledTimeProvider(o.TimeEpochTicks, o.TimeScale);

        return o;
    }

    /// <summary>The arguments a worker process of this run gets (the connection goes by environment variable, not argv).</summary>
    public List<string> WorkerArguments(string workerId, int seed) =>
    [
        "worker", "--engine", Engine.ToString().ToLowerInvariant(), "--subscribers", Subscribers.ToString(CultureInfo.InvariantCulture),
        "--seconds", Seconds.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture), "--out", Out,
        "--concurrency", Concurrency.ToString(CultureInfo.InvariantCulture), "--drop-claims", DropClaims.ToString(CultureInfo.InvariantCulture),
        "--port-failures", PortFailures.ToString(CultureInfo.InvariantCulture),
        "--lease", LeaseSeconds.ToString(CultureInfo.InvariantCulture), "--cooldown", CooldownSeconds.ToString(CultureInfo.InvariantCulture),
        "--link-lifetime", LinkLifetimeSeconds.ToString(CultureInfo.InvariantCulture),
        "--time-scale", TimeScale.ToString("R", CultureInfo.InvariantCulture), "--time-epoch", TimeEpochTicks.ToString(CultureInfo.InvariantCulture),
        "--worker-id", workerId,
    ];

    public void UseConnection(string connection) => Connection = connection;
}
