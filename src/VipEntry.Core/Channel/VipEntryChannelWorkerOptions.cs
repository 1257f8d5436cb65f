namespace VipEntry.Core.Channel;

/// <summary>Settings of the hosted channel worker (R16–R19).</summary>
public sealed class VipEntryChannelWorkerOptions
{
    /// <summary>Whether the hosted worker runs cycles. Turn it off to call <see cref="IVipEntryChannelWorker.RunOnceAsync"/> yourself. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between two cycles of the hosted worker, from 1 millisecond to 1 day (validated at start-up). Default 1 minute.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);
}
