using VipEntry.Core.Links;

namespace VipEntry.Core.EfCore.Tests.Infrastructure;

/// <summary>A transport stand-in.</summary>
public sealed class TestLinkIssuer(TestLinkSettings settings) : IVipEntryLinkIssuer
{
    public ValueTask<VipEntryLinkIssueResult> IssueAsync(VipEntryLinkRequest request, CancellationToken cancellationToken = default) => settings.Mode switch
    {
        TestLinkMode.Recorded => ValueTask.FromResult(VipEntryLinkIssueResult.Recorded($"https://t.me/+{request.Token.ComputeHash()[..20]}")),
        TestLinkMode.Cancelled => throw new OperationCanceledException("the transport call was cancelled"),
        _ => ValueTask.FromResult(VipEntryLinkIssueResult.CarriesToken(request.Token.Value)),
    };
}
