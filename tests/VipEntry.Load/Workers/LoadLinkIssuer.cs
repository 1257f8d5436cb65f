using VipEntry.Core.Links;
using VipEntry.Load.Logging;

namespace VipEntry.Load.Workers;

/// <summary>
/// The transport of the load run: most grants get a recorded, secret-free link (as Telegram's invite links), some a link
/// that carries the token (as a <c>/start</c> deep link, never recorded, so it cannot be shown again and a reissue
/// replaces it after the cooldown). Each grant is logged (hash, recorded link, the operation) before its link is handed back.
/// </summary>
public sealed class LoadLinkIssuer(OpContext op, GrantBook book, JsonlLog log, TimeProvider clock) : IVipEntryLinkIssuer
{
    public ValueTask<VipEntryLinkIssueResult> IssueAsync(VipEntryLinkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hash = request.Token.ComputeHash();
        var recorded = Random.Shared.NextDouble() < 0.7;
        var link = recorded ? $"vipload:{log.Worker}:{Guid.NewGuid():N}" : "viptoken:" + request.Token.Value;
        log.Write(new LogLine
        {
            Kind = "issued",
            Seq = op.Seq,
            Ticks = clock.GetUtcNow().UtcTicks,
            Subscriber = request.SubscriberId,
            TokenHash = hash,
            Link = recorded ? link : null,
            End = request.ExpiresAt.UtcTicks,
        });
        book.Minted(new Grant(request.SubscriberId, request.Token.Value, hash, recorded ? link : null));
        return ValueTask.FromResult(recorded ? VipEntryLinkIssueResult.Recorded(link) : VipEntryLinkIssueResult.CarriesToken(link));
    }
}
