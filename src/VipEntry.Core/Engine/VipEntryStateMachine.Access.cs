// Access delivery: R4 (a grant only at stage 3, re-entry only when completed), R5 (exactly one grant on entering
// stage 3, shown again while valid), R7 (reissue after the cooldown, the old link reported for revocation), R12 (a link
// that carries the token is never stored) and R16 (a completed member's re-entry grant, same rules).
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Links;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;

namespace VipEntry.Core.Engine;

public sealed partial class VipEntryStateMachine
{
    /// <inheritdoc />
    public ValueTask<VipEntryResult> DeliverAccessAsync(long subscriberId, CancellationToken cancellationToken = default) =>
        DeliverAsync(subscriberId, reentry: false, reissue: false, cancellationToken);

    /// <inheritdoc />
    public ValueTask<VipEntryResult> ReissueAccessAsync(long subscriberId, CancellationToken cancellationToken = default) =>
        DeliverAsync(subscriberId, reentry: false, reissue: true, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<VipEntryResult> RequestReentryAsync(long subscriberId, CancellationToken cancellationToken = default) =>
        await InsideAlreadyAsync(subscriberId, cancellationToken).ConfigureAwait(false)
            ?? await DeliverAsync(subscriberId, reentry: true, reissue: true, cancellationToken).ConfigureAwait(false);

    // Stage 3's grant (reentry: false) or a completed member's re-entry grant (reentry: true, R16): the same rules of
    // issue, showing again, cooldown and replacement; only the stage the grant belongs to differs.
    private async ValueTask<VipEntryResult> DeliverAsync(long subscriberId, bool reentry, bool reissue, CancellationToken cancellationToken)
    {
        var lifetime = Options.LinkLifetime;
        var stage = reentry ? VipEntryStage.Completed : VipEntryStage.AccessDelivery;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = Now;
            var current = await _store.FindAsync(subscriberId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return VipEntryResult.Of(VipEntryOutcome.NotEnrolled, subscriberId, VipEntryStage.NotEnrolled);
            }

            if (!current.IsActiveAt(now))
            {
                return VipEntryResult.Of(VipEntryOutcome.SubscriptionExpired, subscriberId, current.Stage);
            }

            if (current.Stage != stage)
            {
                // R4: nothing reaches a grant without passing stages 1 and 2; re-entry is for completed members only.
                return VipEntryResult.Of(current.Stage == VipEntryStage.Completed ? VipEntryOutcome.AlreadyCompleted : VipEntryOutcome.WrongStage, subscriberId, current.Stage);
            }

            if (current.GrantTokenHash is null)
            {
                var issued = await TryIssueAsync(current, expectedHash: null, now, lifetime, isReissue: false, cancellationToken).ConfigureAwait(false);
                if (issued is null)
                {
                    continue;
                }

                return issued;
            }

            var live = current.HasLiveGrant(now, lifetime);
            if (live && current.GrantLink is not null)
            {
                return VipEntryResult.Of(VipEntryOutcome.AccessShown, subscriberId, current.Stage) with
                {
                    Access = new VipEntryAccess(current.GrantLink, current.GrantExpiresAt(lifetime)!.Value, CanBeShownAgain: true),
                };
            }

            if (!reissue)
            {
                return VipEntryResult.Of(live ? VipEntryOutcome.AccessAlreadyDelivered : VipEntryOutcome.LinkExpired, subscriberId, current.Stage);
            }

            // R7: replace an expired grant, or one whose link cannot be shown again, after the cooldown. A grant with no
            // issue time (written by hand or by another program) counts as expired.
            if (current.GrantIssuedAt is { } issuedAt && now < issuedAt + Options.ReissueCooldown)
            {
                return VipEntryResult.Of(VipEntryOutcome.ReissueTooSoon, subscriberId, current.Stage) with { RetryAfter = issuedAt + Options.ReissueCooldown - now };
            }

            var replaced = await TryIssueAsync(current, current.GrantTokenHash, now, lifetime, isReissue: true, cancellationToken).ConfigureAwait(false);
            if (replaced is not null)
            {
                return replaced;
            }
        }

        VipEntryLog.Conflict(_logger, reentry ? nameof(RequestReentryAsync) : nameof(DeliverAccessAsync), subscriberId);
        return await ResultAtCurrentStageAsync(VipEntryOutcome.Conflict, subscriberId, cancellationToken).ConfigureAwait(false);
    }

    // Returns null when the compare-and-set lost, so the caller re-reads and decides again.
    private async ValueTask<VipEntryResult?> TryIssueAsync(VipEntryRecord current, string? expectedHash, DateTimeOffset now, TimeSpan lifetime, bool isReissue, CancellationToken cancellationToken)
    {
        var subscriberId = current.SubscriberId;
        var token = _tokens.Generate();
        var hash = token.ComputeHash();
        var cooldownEdge = now - Options.ReissueCooldown;
        // R19 write-ahead: a reissue takes the current link out of use; it is owed before the new grant is written.
        if (isReissue)
        {
            await OweAheadAsync(subscriberId, current.GrantLink).ConfigureAwait(false);
        }

        if (!await TryWriteGrantAsync(current, expectedHash, hash, now, cooldownEdge, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var expiresAt = now + lifetime;
        VipEntryLinkIssueResult link;
        try
        {
            link = await _issuer.IssueAsync(new VipEntryLinkRequest(subscriberId, token, expiresAt), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A cancelled issuer made no link we know of: withdraw the grant (whatever the caller's token says), so the
            // member is not told a link was delivered and can ask again at once.
            await _store.TryWithdrawGrantAsync(subscriberId, hash, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex)
        {
            link = VipEntryLinkIssueResult.Failed(ex.GetType().Name);
        }

        var revoke = LinkList(isReissue ? current.GrantLink : null);

        // R12: a link that carries the token is never stored, even if the issuer asked for it to be recorded.
        if (link.Succeeded && link.Record && link.Link!.Contains(token.Value, StringComparison.Ordinal))
        {
            link = VipEntryLinkIssueResult.CarriesToken(link.Link);
        }

        if (!link.Succeeded)
        {
            VipEntryLog.IssuerFailed(_logger, subscriberId, link.Error ?? "unknown");
            await _store.TryWithdrawGrantAsync(subscriberId, hash, CancellationToken.None).ConfigureAwait(false);
            return VipEntryResult.Of(VipEntryOutcome.LinkIssuerFailed, subscriberId, current.Stage) with { LinksToRevoke = revoke };
        }

        // Store a secret-free link before it is handed out, so it can be shown again and revoked. The link exists now:
        // recording it is not cancelled half-way, or the transport would hold a link the row does not know.
        if (link.Record && !await RecordLinkAsync(subscriberId, hash, link.Link!).ConfigureAwait(false))
        {
            VipEntryLog.IssuerFailed(_logger, subscriberId, "the link could not be recorded");
            await WithdrawGrantAsync(subscriberId, hash).ConfigureAwait(false);
            await OweAfterAsync(subscriberId, link.Link!).ConfigureAwait(false);
            return VipEntryResult.Of(VipEntryOutcome.LinkIssuerFailed, subscriberId, current.Stage) with { LinksToRevoke = [.. revoke, link.Link!] };
        }

        VipEntryLog.Issued(_logger, subscriberId, expiresAt, isReissue);
        _metrics.Issued(isReissue);
        return VipEntryResult.Of(isReissue ? VipEntryOutcome.AccessReissued : VipEntryOutcome.AccessIssued, subscriberId, current.Stage) with
        {
            Access = new VipEntryAccess(link.Link!, expiresAt, link.Record),
            LinksToRevoke = revoke,
        };
    }

    // Writes a new grant; true when the row holds it afterwards, false when another writer got in first. A write whose answer
    // was lost after it committed (a connection dropped) is reported as lost by the store, or throws (Npgsql's execution
    // strategy wraps transient errors), yet the row holds this grant's hash: it is ours and goes on (issue 10, fault 1).
    private async ValueTask<bool> TryWriteGrantAsync(VipEntryRecord current, string? expectedHash, string hash, DateTimeOffset now, DateTimeOffset cooldownEdge, CancellationToken cancellationToken)
    {
        var subscriberId = current.SubscriberId;
        try
        {
            if (await _store.TryIssueGrantAsync(subscriberId, current.Stage, expectedHash, hash, now, cooldownEdge, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }
        catch (OperationCanceledException)
        {
            // Cancelled mid-write: whether it committed or not, no link will be made for it.
            await WithdrawGrantAsync(subscriberId, hash).ConfigureAwait(false);
            throw;
        }
        catch (Exception)
        {
            if (!await HoldsGrantAsync(subscriberId, hash).ConfigureAwait(false))
            {
                throw;
            }

            return true;
        }

        return await HoldsGrantAsync(subscriberId, hash).ConfigureAwait(false);
    }

    private async ValueTask<bool> HoldsGrantAsync(long subscriberId, string hash)
    {
        try
        {
            var row = await _store.FindAsync(subscriberId, CancellationToken.None).ConfigureAwait(false);
            return row is not null && string.Equals(row.GrantTokenHash, hash, StringComparison.Ordinal);
        }
        catch (Exception ex)
        {
            VipEntryLog.IssuerFailed(_logger, subscriberId, "reading the grant back failed: " + ex.GetType().Name);
            return false;
        }
    }

    // Records the transport link of a grant just issued; true when the row holds it afterwards. The link exists at the
    // transport by now, so a store failure is not thrown past the caller (who must learn the link, to revoke it), and the
    // store's answer is checked against the row: a write whose answer was lost after it committed (a dropped connection)
    // is reported as failed, or throws, although the link is recorded (issue 10, faults 2 and 3).
    private async ValueTask<bool> RecordLinkAsync(long subscriberId, string hash, string link)
    {
        try
        {
            if (await _store.TryRecordLinkAsync(subscriberId, hash, link, CancellationToken.None).ConfigureAwait(false))
            {
                return true;
            }
        }
        catch (Exception ex)
        {
            VipEntryLog.IssuerFailed(_logger, subscriberId, "recording the link failed: " + ex.GetType().Name);
        }

        try
        {
            var row = await _store.FindAsync(subscriberId, CancellationToken.None).ConfigureAwait(false);
            return row is not null && string.Equals(row.GrantTokenHash, hash, StringComparison.Ordinal) && string.Equals(row.GrantLink, link, StringComparison.Ordinal);
        }
        catch (Exception ex)
        {
            VipEntryLog.IssuerFailed(_logger, subscriberId, "reading the link back failed: " + ex.GetType().Name);
            return false;
        }
    }

    // Withdraws a grant whose link is not recorded, best effort: if the store fails too, the grant stays without a link and
    // counts as one that cannot be shown again (a reissue replaces it after the cooldown).
    private async ValueTask WithdrawGrantAsync(long subscriberId, string hash)
    {
        try
        {
            await _store.TryWithdrawGrantAsync(subscriberId, hash, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            VipEntryLog.IssuerFailed(_logger, subscriberId, "withdrawing the grant failed: " + ex.GetType().Name);
        }
    }
}
