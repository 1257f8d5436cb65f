namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>Shared, per-provider switch of <see cref="TestLinkIssuer"/>.</summary>
public sealed class TestLinkSettings
{
    public TestLinkMode Mode { get; set; } = TestLinkMode.CarriesToken;
}
