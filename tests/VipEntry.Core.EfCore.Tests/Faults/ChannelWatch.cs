using System.Data.Common;

namespace VipEntry.Core.EfCore.Tests.Faults;

/// <summary>
/// What <see cref="WatchedChannelStore"/> records: the store method running now (flows with the async call, so the fault
/// injector can tell which method a command belongs to), and each call of <see cref="Method"/> with the channel table
/// before and after it.
/// </summary>
public sealed class ChannelWatch(FaultInjector injector)
{
    private static readonly AsyncLocal<string?> Running = new();

    /// <summary>The channel-store method running in this async flow, if any.</summary>
    public static string? Current
    {
        get => Running.Value;
        set => Running.Value = value;
    }

    public FaultInjector Injector { get; } = injector;

    /// <summary>The method whose calls are recorded.</summary>
    public string? Method { get; set; }

    /// <summary>Reads the channel table (outside the fault count).</summary>
    public Func<Task<string>>? Snapshot { get; set; }

    public List<WatchedCall> Calls { get; } = [];

    /// <summary>Runs once after the next call of <see cref="Method"/> returned (another process acting in between two writes).</summary>
    public Func<Task>? AfterNextCall { get; set; }

    /// <summary>The verb a command starts with (<c>SELECT</c>, <c>INSERT</c>, <c>UPDATE</c>, …).</summary>
    public static string VerbOf(DbCommand command)
    {
        var text = command.CommandText.TrimStart();
        var end = text.IndexOfAny([' ', '\n', '\r', '\t']);
        return (end < 0 ? text : text[..end]).ToUpperInvariant();
    }

    /// <summary>The call during which the <paramref name="occurrence"/>-th matching command ran.</summary>
    public WatchedCall CallAt(int occurrence) =>
        Calls.Single(c => c.CountBefore < occurrence && occurrence <= c.CountAfter);

    public async Task<string> ReadAsync()
    {
        if (Snapshot is null)
        {
            return "";
        }

        var paused = Injector.Paused;
        Injector.Paused = true;
        try
        {
            return await Snapshot();
        }
        finally
        {
            Injector.Paused = paused;
        }
    }
}
