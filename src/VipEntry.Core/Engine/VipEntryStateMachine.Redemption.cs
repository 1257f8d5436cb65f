// Redemption: R6 (completes the ritual exactly once, bound to its owner; a forwarded link is refused), R11 (a malformed
// token or link gets "invalid", never an exception), R12 (constant-time token check) and R16 (redeeming a re-entry
// grant leaves the member completed).
using VipEntry.Core.Diagnostics;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Tokens;

namespace VipEntry.Core.Engine;

public sealed partial class VipEntryStateMachine
{
    // Transport links are short URLs; anything longer is not ours.
    private const int MaxLinkLength = 2048;

    /// <inheritdoc />
    public async ValueTask<VipEntryResult> RedeemTokenAsync(long claimantId, string? token, CancellationToken cancellationToken = default)
    {
        if (!AccessToken.TryParse(token, out var parsed))
        {
            return Refuse(claimantId, VipEntryResult.Of(VipEntryOutcome.InvalidInput, claimantId, await StageOfAsync(claimantId, cancellationToken).ConfigureAwait(false)));
        }

        var hash = parsed.ComputeHash();
        var owner = await _store.FindByTokenHashAsync(hash, cancellationToken).ConfigureAwait(false);

        // Found by hash; verify the token itself in constant time before acting on it (R12).
        if (owner is null || !parsed.MatchesHash(owner.GrantTokenHash))
        {
            return Refuse(claimantId, await UnknownGrantAsync(claimantId, cancellationToken).ConfigureAwait(false));
        }

        return await RedeemAsync(claimantId, owner, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<VipEntryResult> RedeemLinkAsync(long claimantId, string? link, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(link) || link.Length > MaxLinkLength || link.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || link.Contains('\u007f', StringComparison.Ordinal) || !IsWellFormedUtf16(link))
        {
            return Refuse(claimantId, VipEntryResult.Of(VipEntryOutcome.InvalidInput, claimantId, await StageOfAsync(claimantId, cancellationToken).ConfigureAwait(false)));
        }

        var owner = await _store.FindByLinkAsync(link, cancellationToken).ConfigureAwait(false);
        if (owner?.GrantTokenHash is null)
        {
            return Refuse(claimantId, await UnknownGrantAsync(claimantId, cancellationToken).ConfigureAwait(false));
        }

        return await RedeemAsync(claimantId, owner, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<VipEntryResult> RedeemAsync(long claimantId, VipEntryRecord owner, CancellationToken cancellationToken)
    {
        if (owner.SubscriberId != claimantId)
        {
            // A forwarded link: refused, and the owner's grant stays valid (R6).
            return Refuse(claimantId, VipEntryResult.Of(VipEntryOutcome.Refused, claimantId, await StageOfAsync(claimantId, cancellationToken).ConfigureAwait(false)));
        }

        var now = Now;
        var lifetime = Options.LinkLifetime;

        // A grant held by a completed member is a re-entry grant (R16): redeeming it lets them back in, still completed.
        var reentry = owner.Stage == VipEntryStage.Completed;

        // R19 write-ahead: the link has done its one job once redeemed; owed before (revoked only once it no longer stands).
        await OweAheadAsync(claimantId, owner.GrantLink).ConfigureAwait(false);
        if (await _store.TryRedeemAsync(claimantId, owner.Stage, owner.GrantTokenHash!, now, now - lifetime, cancellationToken).ConfigureAwait(false))
        {
            if (reentry)
            {
                VipEntryLog.Readmitted(_logger, claimantId);
                _metrics.Readmitted();
                await NotifyAsync(claimantId, VipEntryStage.Completed, VipEntryStage.Completed, VipEntryTrigger.Reenter, now, cancellationToken).ConfigureAwait(false);
                await _channels.RecordInsideAsync(Chat, claimantId, now, CancellationToken.None).ConfigureAwait(false);
                return VipEntryResult.Of(VipEntryOutcome.Readmitted, claimantId, VipEntryStage.Completed) with { LinksToRevoke = LinkList(owner.GrantLink) };
            }

            VipEntryLog.Redeemed(_logger, claimantId);
            _metrics.Redeemed();
            await NotifyAsync(claimantId, VipEntryStage.AccessDelivery, VipEntryStage.Completed, VipEntryTrigger.Redeem, now, cancellationToken).ConfigureAwait(false);
            // R19: the transport admits them on this result, so from here on they may be inside (recorded before it does).
            await _channels.RecordInsideAsync(Chat, claimantId, now, CancellationToken.None).ConfigureAwait(false);
            return VipEntryResult.Of(VipEntryOutcome.Redeemed, claimantId, VipEntryStage.Completed) with { LinksToRevoke = LinkList(owner.GrantLink) };
        }

        var current = await _store.FindAsync(claimantId, cancellationToken).ConfigureAwait(false);
        var outcome = current switch
        {
            null => VipEntryOutcome.NotEnrolled,
            _ when !string.Equals(current.GrantTokenHash, owner.GrantTokenHash, StringComparison.Ordinal) =>
                current.Stage == VipEntryStage.Completed ? VipEntryOutcome.AlreadyCompleted : VipEntryOutcome.UnknownGrant,
            _ when !current.IsActiveAt(now) => VipEntryOutcome.SubscriptionExpired,
            _ when !current.HasLiveGrant(now, lifetime) => VipEntryOutcome.LinkExpired,
            _ => VipEntryOutcome.WrongStage,
        };
        return Refuse(claimantId, VipEntryResult.Of(outcome, claimantId, current?.Stage ?? VipEntryStage.NotEnrolled));
    }

    private async ValueTask<VipEntryResult> UnknownGrantAsync(long claimantId, CancellationToken cancellationToken)
    {
        var current = await _store.FindAsync(claimantId, cancellationToken).ConfigureAwait(false);
        var outcome = current switch
        {
            { Stage: VipEntryStage.Completed } when current.IsActiveAt(Now) => VipEntryOutcome.AlreadyCompleted,
            { Stage: VipEntryStage.Completed } => VipEntryOutcome.SubscriptionExpired,
            _ => VipEntryOutcome.UnknownGrant,
        };
        return VipEntryResult.Of(outcome, claimantId, current?.Stage ?? VipEntryStage.NotEnrolled);
    }

    private VipEntryResult Refuse(long claimantId, VipEntryResult result)
    {
        VipEntryLog.RedemptionRefused(_logger, claimantId, result.Outcome);
        _metrics.Refused(result.Outcome.ToString());
        return result;
    }

    // Ill-formed UTF-16 (a lone surrogate) cannot be sent to a database: Npgsql throws EncoderFallbackException (issue 10).
    private static bool IsWellFormedUtf16(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
