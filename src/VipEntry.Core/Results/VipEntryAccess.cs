namespace VipEntry.Core.Results;

/// <summary>A delivered access link.</summary>
/// <param name="Link">The link to give the member (a transport invite link, or a URL carrying the token).</param>
/// <param name="ExpiresAt">When the grant expires (UTC); hand this instant to the transport.</param>
/// <param name="CanBeShownAgain">Whether the link is recorded and will be shown again while the grant is valid.</param>
public sealed record VipEntryAccess(string Link, DateTimeOffset ExpiresAt, bool CanBeShownAgain)
{
    /// <summary>A description without the link, which may carry a secret (R12).</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"VipEntryAccess {{ ExpiresAt = {ExpiresAt:O}, CanBeShownAgain = {CanBeShownAgain} }}";
}
