using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VipEntry.Core.Channel;
using VipEntry.Core.Engine;
using VipEntry.Core.Results;
using VipEntry.Core.Storage;
using VipEntry.Core.Telegram.Diagnostics;
using VipEntry.Core.Telegram.Rendering;

namespace VipEntry.Core.Telegram.Payments;

/// <summary>
/// Turns a recorded payment into the subscription it bought, exactly once per charge id: the store records and claims it
/// under a lease (a redelivery or another replica finds it applied or held), the engine activates (R1 for someone without
/// an active subscription: stage 1 is sent at once; R2 for a renewal: a completed member stays completed), then the claim
/// is marked applied. A failure gives the claim back, so a redelivery or the payments worker applies it.
/// </summary>
/// <param name="store">The payments.</param>
/// <param name="engine">The ritual.</param>
/// <param name="worker">Does the channel work a renewal owes (R19) at once.</param>
/// <param name="prompts">Sends stage 1.</param>
/// <param name="time">The clock.</param>
/// <param name="options">The lease.</param>
/// <param name="logger">The logger.</param>
internal sealed class StarsPaymentApplier(
    IVipEntryPaymentStore store,
    IVipEntryStateMachine engine,
    IVipEntryChannelWorker worker,
    PromptSender prompts,
    TimeProvider time,
    IOptionsMonitor<VipEntryTelegramOptions> options,
    ILogger<StarsPaymentApplier> logger)
{
    /// <summary>The ritual (for the member's language).</summary>
    public IVipEntryStateMachine Engine => engine;

    public DateTimeOffset Now => VipEntryStateMachine.ToStorePrecision(time.GetUtcNow());

    public TimeSpan Lease => options.CurrentValue.WebhookUpdateLease;

    /// <summary>Records a received payment and applies it if this caller claims it.</summary>
    public async ValueTask ReceiveAsync(VipEntryPayment payment, CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid().ToString("N");
        var now = Now;
        var claim = await store.TryClaimAsync(payment, owner, now, now + Lease, cancellationToken).ConfigureAwait(false);
        if (claim != VipEntryPaymentClaim.Claimed)
        {
            TelegramLog.PaymentNotClaimed(logger, payment.ChargeId, claim);
            return;
        }

        await ApplyClaimedAsync(payment, owner, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies a payment <paramref name="owner"/> holds; marks it applied, or gives it back.</summary>
    /// <returns>Whether it is applied now.</returns>
    public async ValueTask<bool> ApplyClaimedAsync(VipEntryPayment payment, string owner, CancellationToken cancellationToken)
    {
        Application applied;
        try
        {
            applied = await ApplyAsync(payment, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The store or the engine failed: whoever comes next (a redelivery, the worker) takes it at once.
            await store.ReleaseAsync(payment.ChargeId, owner, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (applied == Application.NotApplied)
        {
            await store.ReleaseAsync(payment.ChargeId, owner, CancellationToken.None).ConfigureAwait(false);
            return false;
        }

        var member = payment.PersonId;
        bool marked;
        try
        {
            marked = await store.MarkAppliedAsync(payment.ChargeId, owner, Now, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The activation stands; whether the mark landed is unknown, and a later holder finds the member paid up and
            // sends nothing: the member sees their stage 1 now.
            await ShowStage1Async(applied, member, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        // Not marked when the lease ran out meanwhile and another holder took it (it applies the same end again, which
        // changes nothing), or when an admin refunded the payment while it was being applied: the refund ended the
        // subscription before this activation landed, or ends it after (it marks first, ends second). The store orders
        // the two marks, so whichever comes second sees the other: here, end what this activation started.
        if (!marked && (await store.FindAsync(payment.ChargeId, cancellationToken).ConfigureAwait(false))?.RefundedAt is not null)
        {
            TelegramLog.PaymentRefundedWhileApplied(logger, payment.ChargeId, member);
            await engine.EndSubscriptionAsync(member, cancellationToken).ConfigureAwait(false);
            await worker.WorkOnAsync(member, cancellationToken).ConfigureAwait(false);
            return false;
        }

        await ShowStage1Async(applied, member, cancellationToken).ConfigureAwait(false);
        return true;
    }

    // Stage 1 at once (R1; R2 for a lapsed or mid-ritual member), once the payment is marked applied. A completed member
    // who renews is not messaged: Telegram tells them of the charge.
    private async ValueTask ShowStage1Async(Application applied, long member, CancellationToken cancellationToken)
    {
        if (applied == Application.AppliedShowStage1)
        {
            var step = await engine.GetStepAsync(member, culture: null, cancellationToken).ConfigureAwait(false);
            await prompts.SendAsync(member, member, step.Prompt, askMembership: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<Application> ApplyAsync(VipEntryPayment payment, CancellationToken cancellationToken)
    {
        var member = payment.PersonId;
        var status = await engine.GetStatusAsync(member, cancellationToken).ConfigureAwait(false);
        if (status.IsActive && status.SubscriptionEndsAt >= VipEntryStateMachine.ToStorePrecision(payment.PeriodEnd))
        {
            // Already paid up to (or past) this payment's end: a payment applied late (after a later one) never shortens
            // a subscription.
            TelegramLog.PaymentApplied(logger, payment.ChargeId, member, payment.Amount, payment.Currency, payment.PeriodEnd, VipEntryOutcome.AtStage);
            return Application.Applied;
        }

        var result = await engine.ActivateAsync(member, payment.PeriodEnd, cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case VipEntryOutcome.Started or VipEntryOutcome.Renewed or VipEntryOutcome.Restarted:
                TelegramLog.PaymentApplied(logger, payment.ChargeId, member, payment.Amount, payment.Currency, payment.PeriodEnd, result.Outcome);
                await worker.WorkOnAsync(member, cancellationToken).ConfigureAwait(false);
                return result.Outcome == VipEntryOutcome.Renewed ? Application.Applied : Application.AppliedShowStage1;
            case VipEntryOutcome.AtStage or VipEntryOutcome.SubscriptionExpired:
                // The same activation again, or a period that is over already (applied very late): nothing to change.
                TelegramLog.PaymentApplied(logger, payment.ChargeId, member, payment.Amount, payment.Currency, payment.PeriodEnd, result.Outcome);
                return Application.Applied;
            default:
                TelegramLog.PaymentNotApplied(logger, payment.ChargeId, member, result.Outcome);
                return Application.NotApplied;
        }
    }

    private enum Application
    {
        NotApplied,
        Applied,
        AppliedShowStage1,
    }
}
