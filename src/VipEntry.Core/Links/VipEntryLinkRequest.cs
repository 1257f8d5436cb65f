using VipEntry.Core.Tokens;

namespace VipEntry.Core.Links;

/// <summary>What a link issuer is given to turn a new grant into a transport link.</summary>
/// <param name="SubscriberId">The member the link is for.</param>
/// <param name="Token">The grant's token; use it only in a link that goes to this member.</param>
/// <param name="ExpiresAt">When the grant expires (UTC); a transport link should expire at this instant.</param>
public sealed record VipEntryLinkRequest(long SubscriberId, AccessToken Token, DateTimeOffset ExpiresAt);
