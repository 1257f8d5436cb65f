namespace VipEntry.Load.Workers;

/// <summary>
/// Thrown inside a channel worker cycle where a worker "crashes" before confirming a claimed lapse: the cycle ends there,
/// its claims unconfirmed, and their leases hand them out again (as a replica that died mid-cycle).
/// </summary>
public sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException()
        : base("simulated crash before a lapse confirmation")
    {
    }

    public SimulatedCrashException(string message)
        : base(message)
    {
    }

    public SimulatedCrashException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
