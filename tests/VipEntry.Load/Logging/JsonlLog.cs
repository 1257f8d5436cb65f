using System.Text;
using System.Text.Json;

namespace VipEntry.Load.Logging;

/// <summary>
/// An append-only JSONL file. Every line is written and flushed to the operating system before the call returns, so a
/// process killed with SIGKILL loses at most the operations still in flight (the page cache survives the process).
/// </summary>
public sealed class JsonlLog : IDisposable
{
    private readonly FileStream _stream;
    private readonly Lock _gate = new();

    public JsonlLog(string path, string worker)
    {
        Worker = worker;
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1, FileOptions.None);
    }

    public string Worker { get; }

    public void Write(LogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line.Worker = Worker;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(line, LoadJsonContext.Default.LogLine);
        var buffer = new byte[bytes.Length + 1];
        bytes.CopyTo(buffer, 0);
        buffer[^1] = (byte)'\n';
        lock (_gate)
        {
            // One write call per line: a line is either in the file or not, never half (short of a torn disk write).
            _stream.Write(buffer);
            _stream.Flush();
        }
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>Reads a log; a last line cut short by a kill is reported, not thrown.</summary>
    public static (List<LogLine> Lines, int Torn) Read(string path)
    {
        var lines = new List<LogLine>();
        var torn = 0;
        foreach (var text in File.ReadLines(path, Encoding.UTF8))
        {
            if (text.Length == 0)
            {
                continue;
            }

            try
            {
                lines.Add(JsonSerializer.Deserialize(text, LoadJsonContext.Default.LogLine)!);
            }
            catch (JsonException)
            {
                torn++;
            }
        }

        return (lines, torn);
    }
}
