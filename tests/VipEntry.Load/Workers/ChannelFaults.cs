namespace VipEntry.Load.Workers;

/// <summary>
/// What a process injects into the channel worker: the share of port calls that fail (<c>--port-failures</c>) and the share
/// of claimed lapses the worker "crashes" on before confirming (<c>--drop-claims</c>). The drain uses <see cref="None"/>.
/// </summary>
public sealed class ChannelFaults(double portFailures, double dropClaims)
{
    public static ChannelFaults None { get; } = new(0, 0);

    public double PortFailures { get; } = portFailures;

    public double DropClaims { get; } = dropClaims;

    public bool PortCallFails() => PortFailures > 0 && Random.Shared.NextDouble() < PortFailures;

    public bool DropClaim() => DropClaims > 0 && Random.Shared.NextDouble() < DropClaims;
}
