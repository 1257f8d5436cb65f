namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>A store backend whose rows can be written by hand, bypassing VipEntry (database stores).</summary>
public interface IHandWrittenRows
{
    /// <summary>Sets the grant columns of one row directly.</summary>
    Task WriteByHandAsync(long subscriberId, string? tokenHash, DateTimeOffset? issuedAt);
}
