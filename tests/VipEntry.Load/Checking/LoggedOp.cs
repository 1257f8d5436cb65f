using VipEntry.Load.Logging;

namespace VipEntry.Load.Checking;

/// <summary>One operation as the logs tell it: its intent, its result (none when its process was killed with it in flight).</summary>
public sealed class LoggedOp(LogLine intent, bool killedProcess)
{
    public LogLine Intent { get; } = intent;

    public LogLine? Result { get; set; }

    public bool KilledProcess { get; } = killedProcess;

    public string Op => Intent.Op ?? "";

    /// <summary>When it started (before the engine was called).</summary>
    public long I => Intent.Ticks;

    /// <summary>When it returned; never, for an operation lost in flight.</summary>
    public long R => Result?.Ticks ?? long.MaxValue;

    public bool InFlight => Result is null;

    public string? Outcome => Result?.Outcome;

    /// <summary>The member the operation acts on: the claimant for redemptions, else the subscriber.</summary>
    public long Member => Intent.Claimant ?? Intent.Subscriber ?? 0;

    public bool Is(string outcome) => string.Equals(Outcome, outcome, StringComparison.Ordinal);

    public override string ToString() =>
        $"{Intent.Worker}#{Intent.Seq} {Op}{(Intent.Mode is null ? "" : "/" + Intent.Mode)}{(Intent.From is { } f ? " from " + f : "")}{(Intent.CallbackData is { } d ? " '" + d + "'" : "")} -> {Outcome ?? "(in flight when killed)"}";
}
