using VipEntry.Core.Links;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>How the test issuer answers.</summary>
public enum TestLinkMode
{
    /// <summary>The link is the token itself (never stored), so tests can redeem it.</summary>
    CarriesToken,

    /// <summary>A secret-free transport link that is recorded (Telegram-like).</summary>
    Recorded,
}

/// <summary>Shared, per-provider switch of <see cref="TestLinkIssuer"/>.</summary>
public sealed class TestLinkSettings
{
    public TestLinkMode Mode { get; set; } = TestLinkMode.CarriesToken;
}

/// <summary>A transport stand-in.</summary>
public sealed class TestLinkIssuer(TestLinkSettings settings) : IVipEntryLinkIssuer
{
    public ValueTask<VipEntryLinkIssueResult> IssueAsync(VipEntryLinkRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(settings.Mode == TestLinkMode.Recorded
            ? VipEntryLinkIssueResult.Recorded($"https://t.me/+{request.Token.ComputeHash()[..20]}")
            : VipEntryLinkIssueResult.CarriesToken(request.Token.Value));
}
