namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>How the test issuer answers.</summary>
public enum TestLinkMode
{
    /// <summary>The link is the token itself (never stored), so tests can redeem it.</summary>
    CarriesToken,

    /// <summary>A secret-free transport link that is recorded (Telegram-like).</summary>
    Recorded,

    /// <summary>The transport call is cancelled (the caller's token fired while it was under way).</summary>
    Cancelled,
}
