using VipEntry.Core.Links;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>A transport stand-in.</summary>
public sealed class TestLinkIssuer(TestLinkSettings settings) : IVipEntryLinkIssuer
{
    public ValueTask<VipEntryLinkIssueResult> IssueAsync(VipEntryLinkRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(settings.Mode == TestLinkMode.Recorded
            ? VipEntryLinkIssueResult.Recorded($"https://t.me/+{request.Token.ComputeHash()[..20]}")
            : VipEntryLinkIssueResult.CarriesToken(request.Token.Value));
}
