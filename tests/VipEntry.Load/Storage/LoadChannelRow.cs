namespace VipEntry.Load.Storage;

/// <summary>
/// One person of the model VIP chat (table <c>load_channel</c>), shared by every process of the run: whether they are
/// inside, whether a ban stands on them, how many membership changes are still being reported to the engine (a
/// reporter killed before it finished leaves it above zero, and the drain reports the truth, as Telegram redelivers an
/// update nobody acknowledged), and a version bumped by every change.
/// </summary>
public sealed class LoadChannelRow
{
    public long UserId { get; set; }

    public bool Inside { get; set; }

    public bool Banned { get; set; }

    public int Pending { get; set; }

    public long Version { get; set; }
}
