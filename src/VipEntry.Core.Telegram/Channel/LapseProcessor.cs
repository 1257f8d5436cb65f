using Microsoft.Extensions.Logging;
using VipEntry.Core.Engine;
using VipEntry.Core.Messages;
using VipEntry.Core.Results;
using VipEntry.Core.Stages;
using VipEntry.Core.Telegram.Diagnostics;
using VipEntry.Core.Telegram.Rendering;
using VipEntry.Core.Telegram.Transport;

namespace VipEntry.Core.Telegram.Channel;

/// <summary>
/// One cycle of the owed channel work (R8, R17). Each lapse was claimed by this process under a lease in the store, so
/// any number of replicas can run cycles at once without coordinating in memory. For each lapse: revoke its link, remove
/// the member when they had completed (ban, then unban only if banned), tell them why (a member who blocked the bot
/// does not stop the removal), then confirm. Any failure leaves the lapse unconfirmed: the lease hands it out again.
/// </summary>
/// <remarks>Opt-in nudges (R18) are the cycle's next step: <see cref="NudgeProcessor"/>.</remarks>
/// <param name="engine">The ritual.</param>
/// <param name="chat">The VIP chat's door.</param>
/// <param name="intruders">Intruder removals that failed earlier, retried at the start of each cycle.</param>
/// <param name="messenger">Tells the member.</param>
/// <param name="prompts">Sends a step.</param>
/// <param name="messages">The texts.</param>
/// <param name="cultures">The default culture (a lapse carries no language).</param>
/// <param name="logger">The logger.</param>
internal sealed class LapseProcessor(
    IVipEntryStateMachine engine,
    VipChat chat,
    IntruderRemovals intruders,
    BotMessenger messenger,
    PromptSender prompts,
    IVipEntryMessageProvider messages,
    MemberCultures cultures,
    ILogger<LapseProcessor> logger)
{
    private enum LapseOutcome
    {
        Confirmed,
        EntitledAgain,
        Failed,
        ClaimLost,
    }

    public async Task<LapseCycleReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        await RetryIntruderRemovalsAsync(cancellationToken).ConfigureAwait(false);
        int claimed = 0, confirmed = 0, entitledAgain = 0, failed = 0, claimLost = 0;
        VipEntrySweepResult batch;
        do
        {
            batch = await engine.SweepAsync(cancellationToken).ConfigureAwait(false);
            claimed += batch.Lapses.Count;
            foreach (var lapse in batch.Lapses)
            {
                switch (await HandleAsync(lapse, cancellationToken).ConfigureAwait(false))
                {
                    case LapseOutcome.Confirmed:
                        confirmed++;
                        break;
                    case LapseOutcome.EntitledAgain:
                        confirmed++;
                        entitledAgain++;
                        break;
                    case LapseOutcome.ClaimLost:
                        claimLost++;
                        break;
                    default:
                        failed++;
                        break;
                }
            }
        }
        while (batch.HasMore);

        return new LapseCycleReport(claimed, confirmed, entitledAgain, failed, claimLost);
    }

    private async ValueTask<LapseOutcome> HandleAsync(VipEntryLapse lapse, CancellationToken cancellationToken)
    {
        var memberId = lapse.SubscriberId;
        if (lapse.LinkToRevoke is { } link && !await chat.RevokeLinkAsync(link, cancellationToken).ConfigureAwait(false))
        {
            TelegramLog.LapseWorkFailed(logger, memberId, "revokeChatInviteLink");
            return LapseOutcome.Failed;
        }

        if (lapse.ShouldRemoveFromChannel && !await chat.RemoveAsync(memberId, cancellationToken).ConfigureAwait(false))
        {
            TelegramLog.LapseWorkFailed(logger, memberId, "banChatMember/unbanChatMember");
            await LiftBanIfRenewedAsync(memberId, cancellationToken).ConfigureAwait(false);
            return LapseOutcome.Failed;
        }

        // 403 (blocked the bot) and 400 (never opened a private chat) are final answers: the member cannot be told, and
        // that must not keep them inside. Only a failure that may pass (network, 5xx, 429 given up) is retried.
        var notice = lapse.ShouldRemoveFromChannel ? VipEntryNotice.RemovedAfterLapse : VipEntryNotice.SubscriptionExpired;
        var told = await messenger.SendAsync(memberId, messages.GetNotice(notice, cultures.Default), keyboard: null, cancellationToken).ConfigureAwait(false);
        if (told.Status == TelegramCallStatus.Failed)
        {
            TelegramLog.LapseWorkFailed(logger, memberId, "sendMessage");
            return LapseOutcome.Failed;
        }

        var confirmation = await engine.ConfirmLapseHandledAsync(lapse, cancellationToken).ConfigureAwait(false);
        TelegramLog.LapseHandled(logger, memberId, lapse.IsRetry, confirmation.Outcome);
        switch (confirmation.Outcome)
        {
            case VipEntryOutcome.LapseConfirmed:
                return LapseOutcome.Confirmed;
            case VipEntryOutcome.EntitledAgain:
                await LetBackInAsync(memberId, cancellationToken).ConfigureAwait(false);
                return LapseOutcome.EntitledAgain;
            case VipEntryOutcome.LapseClaimLost:
                return LapseOutcome.ClaimLost;
            default:
                // E.g. the subscriber's row was deleted: nothing is owed any more.
                return LapseOutcome.Confirmed;
        }
    }

    // Someone who joined without being entitled and whose removal failed: still not entitled, remove them now (a member
    // who completed the ritual meanwhile stays). Bounded attempts, then it is left to an admin (the log says who).
    private async ValueTask RetryIntruderRemovalsAsync(CancellationToken cancellationToken)
    {
        foreach (var userId in intruders.Snapshot())
        {
            var status = await engine.GetStatusAsync(userId, cancellationToken).ConfigureAwait(false);
            if (status.IsEntitled || await chat.RemoveAsync(userId, cancellationToken).ConfigureAwait(false))
            {
                intruders.Settle(userId);
            }
            else if (intruders.Failed(userId))
            {
                TelegramLog.IntruderRemovalGivenUp(logger, userId, IntruderRemovals.MaxAttempts);
            }
        }
    }

    // A removal that failed halfway may have left a ban. While the lapse is owed, the next claim finishes it; but a member
    // who renewed while the ban was in flight (a slow call, 429s waited out) no longer owes anything, so no worker would
    // ever lift it: lift it now, or say that someone must.
    private async ValueTask LiftBanIfRenewedAsync(long memberId, CancellationToken cancellationToken)
    {
        var status = await engine.GetStatusAsync(memberId, cancellationToken).ConfigureAwait(false);
        if (status.IsActive && !await chat.LiftBanAsync(memberId, cancellationToken).ConfigureAwait(false))
        {
            TelegramLog.RenewalBanNotLifted(logger, memberId);
        }
    }

    // The member renewed while this worker removed them (R16, R17): a completed member gets a re-entry link at once; one
    // whom the renewal sent back into the ritual gets their step.
    private async ValueTask LetBackInAsync(long memberId, CancellationToken cancellationToken)
    {
        var culture = cultures.Default;
        var status = await engine.GetStatusAsync(memberId, cancellationToken).ConfigureAwait(false);
        if (status.Stage == VipEntryStage.Completed)
        {
            var reentry = await engine.RequestReentryAsync(memberId, cancellationToken).ConfigureAwait(false);
            await chat.RevokeLinksAsync(reentry.LinksToRevoke, cancellationToken).ConfigureAwait(false);
            if (reentry.Access is { } access)
            {
                var label = messages.GetStageMessage(VipEntryStage.AccessDelivery, culture).ButtonLabel;
                var button = new VipEntryButton(label, VipEntryButtonKind.OpenLink, access.Link);
                var sent = await messenger.SendAsync(memberId, messages.GetNotice(VipEntryNotice.EntitledAgain, culture), PromptKeyboard.For(button), cancellationToken).ConfigureAwait(false);
                LogIfUntold(memberId, sent.Status);
                return;
            }
        }

        var step = await engine.GetStepAsync(memberId, culture, cancellationToken).ConfigureAwait(false);
        await chat.RevokeLinksAsync(step.Result.LinksToRevoke, cancellationToken).ConfigureAwait(false);
        var shown = await prompts.SendAsync(memberId, memberId, step.Prompt, askMembership: false, cancellationToken).ConfigureAwait(false);
        LogIfUntold(memberId, shown.Status);
    }

    private void LogIfUntold(long memberId, TelegramCallStatus status)
    {
        if (status != TelegramCallStatus.Succeeded)
        {
            // Nothing is owed any more; the member finds their way back with the host's /start (their step).
            TelegramLog.LetBackInUntold(logger, memberId, status);
        }
    }
}
