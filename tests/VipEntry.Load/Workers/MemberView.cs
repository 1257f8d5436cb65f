namespace VipEntry.Load.Workers;

/// <summary>What a worker last saw of a member (its stage and whether the subscription was active), to steer the op mix.</summary>
public sealed class MemberView
{
    public int Stage { get; set; } = -1;

    public bool Active { get; set; } = true;

    public long LastEndTicks { get; set; }
}
