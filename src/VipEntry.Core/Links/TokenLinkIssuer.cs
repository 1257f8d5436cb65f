using Microsoft.Extensions.Options;
using VipEntry.Core.Options;

namespace VipEntry.Core.Links;

/// <summary>
/// The default issuer: formats <see cref="VipEntryOptions.TokenLinkFormat"/> with the token
/// (e.g. a <c>/start &lt;token&gt;</c> deep link). The link carries the token, so it is never stored.
/// </summary>
public sealed class TokenLinkIssuer : IVipEntryLinkIssuer
{
    private readonly IOptionsMonitor<VipEntryOptions> _options;

    /// <summary>Creates the issuer.</summary>
    /// <param name="options">The options.</param>
    public TokenLinkIssuer(IOptionsMonitor<VipEntryOptions> options) => _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <inheritdoc />
    public ValueTask<VipEntryLinkIssueResult> IssueAsync(VipEntryLinkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var link = _options.CurrentValue.TokenLinkFormat.Replace("{token}", request.Token.Value, StringComparison.Ordinal);
        return ValueTask.FromResult(VipEntryLinkIssueResult.CarriesToken(link));
    }
}
