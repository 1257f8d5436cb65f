using System.Diagnostics;
using System.Text;
using VipEntry.Load.Cli;

namespace VipEntry.Load.Coordination;

/// <summary>A worker as a separate OS process of this same program (<c>worker</c> mode), with its output kept for diagnosis.</summary>
public sealed class WorkerProcess : IDisposable
{
    public const string ConnectionVariable = "VIPENTRY_LOAD_CONNECTION";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _clock;

    private WorkerProcess(WorkerEntry entry, ProcessStartInfo start, TimeProvider clock)
    {
        Entry = entry;
        _clock = clock;
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public WorkerEntry Entry { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Completes when the worker says it is warm and waiting for the go.</summary>
    public Task Ready => _ready.Task;

    public static WorkerProcess Start(LoadOptions options, string connection, string id, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Run as "dotnet VipEntry.Load.dll" (tests, dotnet run) or as the apphost: start the worker the same way.
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(WorkerProcess).Assembly.Location);
        }

        foreach (var argument in options.WorkerArguments(id, seed))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[ConnectionVariable] = connection;
        var entry = new WorkerEntry
        {
            Id = id,
            LogFile = Path.Combine(options.Out, "logs", id + ".jsonl"),
            StartedTicks = options.Clock.GetUtcNow().UtcTicks,
        };
        return new WorkerProcess(entry, start, options.Clock);
    }

    /// <summary>SIGKILL (Process.Kill on Linux): no shutdown, no flush, as a crashed or evicted replica.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
        Entry.Killed = true;
        Finish();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
            Finish();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Finish()
    {
        Entry.ExitCode = _process.ExitCode;
        Entry.EndedTicks = _clock.GetUtcNow().UtcTicks;
        lock (_output)
        {
            var text = _output.ToString();
            Entry.OutputTail = text.Length > 2000 ? text[^2000..] : text;
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.EndsWith(": ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
