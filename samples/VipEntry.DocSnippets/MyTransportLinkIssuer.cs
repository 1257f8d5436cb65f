using VipEntry.Core.Links;

namespace VipEntry.DocSnippets;

/// <summary>The transport's link issuer the Core README's fragment names (a stub: only compiled).</summary>
public sealed class MyTransportLinkIssuer : IVipEntryLinkIssuer
{
    /// <inheritdoc />
    public ValueTask<VipEntryLinkIssueResult> IssueAsync(VipEntryLinkRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(VipEntryLinkIssueResult.Failed("a stub"));
}
