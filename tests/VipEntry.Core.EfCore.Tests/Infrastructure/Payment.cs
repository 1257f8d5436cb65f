namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>A table of the host's own, in a context that forgot VipEntry's model call (issue 15).</summary>
public sealed class Payment
{
    public long Id { get; set; }

    public long UserId { get; set; }

    public DateTimeOffset PaidUntil { get; set; }
}
