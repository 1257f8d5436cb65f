using System.Diagnostics;
using System.Text;
using System.Text.Json;
using VipEntry.Load.Checking;

namespace VipEntry.Load.Tests;

/// <summary>
/// The load tool's coordinator as a real child process (<c>dotnet VipEntry.Load.dll run …</c>, the build output next to
/// the test assembly); it starts its own worker processes. Its output is kept for the test log.
/// </summary>
public sealed class LoadToolProcess
{
    private readonly StringBuilder _output = new();

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public int ExitCode { get; private set; }

    public TimeSpan Duration { get; private set; }

    public RunSummary? Summary { get; private set; }

    public static async Task<LoadToolProcess> RunAsync(string outDirectory, TimeSpan timeout, params string[] arguments)
    {
        var tool = new LoadToolProcess();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "VipEntry.Load.dll"), "run", "--out", outDirectory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => tool.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => tool.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The load tool did not finish in {timeout}. Output:\n{tool.Output}");
        }

        process.WaitForExit();
        tool.Duration = clock.Elapsed;
        tool.ExitCode = process.ExitCode;
        var summary = Path.Combine(outDirectory, "summary.json");
        if (File.Exists(summary))
        {
            tool.Summary = JsonSerializer.Deserialize<RunSummary>(await File.ReadAllTextAsync(summary));
        }

        return tool;
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
    }
}
