namespace VipEntry.Core.Links;

/// <summary>
/// The host's transport-specific step of stage 3: turns a new access grant into a link for the member
/// (a Telegram join-request invite link, a web URL carrying the token, …).
/// </summary>
public interface IVipEntryLinkIssuer
{
    /// <summary>Makes the link. Return <see cref="VipEntryLinkIssueResult.Failed"/> rather than throwing.</summary>
    /// <param name="request">The grant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The link, or why there is none.</returns>
    ValueTask<VipEntryLinkIssueResult> IssueAsync(VipEntryLinkRequest request, CancellationToken cancellationToken = default);
}
