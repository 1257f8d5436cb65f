namespace VipEntry.Core.Links;

/// <summary>What a link issuer made of a grant.</summary>
public sealed record VipEntryLinkIssueResult
{
    private VipEntryLinkIssueResult(string? link, bool record, string? error)
    {
        Link = link;
        Record = record;
        Error = error;
    }

    /// <summary>The link, when one was made.</summary>
    public string? Link { get; }

    /// <summary>Whether the link is stored, so it can be shown again and revoked, and redeemed by link.</summary>
    public bool Record { get; }

    /// <summary>Why no link was made.</summary>
    public string? Error { get; }

    /// <summary>Whether a link was made.</summary>
    public bool Succeeded => Link is not null;

    /// <summary>A transport link that holds no secret (e.g. a Telegram join-request invite link): it is stored (R5, R6).</summary>
    /// <param name="link">The link.</param>
    /// <returns>The result.</returns>
    public static VipEntryLinkIssueResult Recorded(string link)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(link);
        return new(link, record: true, error: null);
    }

    /// <summary>A link that carries the token: it is shown once and never stored (R12).</summary>
    /// <param name="link">The link.</param>
    /// <returns>The result.</returns>
    public static VipEntryLinkIssueResult CarriesToken(string link)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(link);
        return new(link, record: false, error: null);
    }

    /// <summary>No link could be made (e.g. the transport is down); the grant is withdrawn and can be issued again.</summary>
    /// <param name="error">Why, without secrets.</param>
    /// <returns>The result.</returns>
    public static VipEntryLinkIssueResult Failed(string error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return new(null, record: false, error);
    }

    /// <summary>A description that never includes the link (R12).</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Succeeded ? $"VipEntryLinkIssueResult {{ Record = {Record} }}" : $"VipEntryLinkIssueResult {{ Error = {Error} }}";
}
