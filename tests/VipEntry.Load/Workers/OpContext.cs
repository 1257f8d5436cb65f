namespace VipEntry.Load.Workers;

/// <summary>The operation a scope runs (its sequence number in the worker's log), so the link issuer can name it.</summary>
public sealed class OpContext
{
    public long Seq { get; set; }
}
