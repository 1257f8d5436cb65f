using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using VipEntry.Core.Engine;
using VipEntry.Core.Stages;
using VipEntry.Core.Storage;
using VipEntry.Core.Telegram.Tests.Faults;
using VipEntry.Core.Telegram.Tests.Support;
using VipEntry.Telegram.Testing;
using static VipEntry.Core.Telegram.Tests.Stars.StarsFlow;

namespace VipEntry.Core.Telegram.Tests.Stars;

/// <summary>
/// Issue 17: a fault at every Bot API call and every payment-store call the Stars seller makes. Bot API faults are
/// results (the seller never throws for them) and what they leave undone is done by a retry or by the payments worker;
/// store faults propagate (the update is redelivered, the admin asks again) and no payment is applied twice or lost.
/// </summary>
public sealed class StarsFaultTests
{
    private const long Member = 17101;
    private static readonly TimeSpan AfterTheLease = TimeSpan.FromMinutes(1).Add(TimeSpan.FromTicks(1234567));

    // Every Bot API call the seller makes, by the step that makes it.
    public static readonly string[] Steps =
    [
        "createInvoiceLink (offer)", "sendMessage (offer)", "answerPreCheckoutQuery", "sendMessage (stage 1 after a payment)",
        "refundStarPayment", "editUserStarSubscription (after a refund)", "sendMessage (refund notice)", "editUserStarSubscription (member's cancel)",
    ];

    public static TheoryData<string, BotApiFault> BotApiPoints()
    {
        var data = new TheoryData<string, BotApiFault>();
        foreach (var step in Steps)
        {
            foreach (var fault in Enum.GetValues<BotApiFault>())
            {
                data.Add(step, fault);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BotApiPoints))]
    public async Task AFailedBotApiCall_IsAResult_AndLosesNothing(string step, BotApiFault fault)
    {
        await using var host = new TelegramTestHost(httpTimeout: FaultInjector.HttpTimeout, starsPrice: Price);
        host.Api.TrackMembership = true;
        var method = step.Split(" ")[0];
        var before = host.Api.LastSequence;
        switch (step)
        {
            case "createInvoiceLink (offer)" or "sendMessage (offer)":
            {
                var offered = await FaultInjector.DuringAsync(host, method, fault, async () => await host.SellerAsync(s => s.OfferAsync(Member)));
                Assert.Equal(VipEntryStarsOfferOutcome.Failed, offered);
                Assert.Equal(VipEntryStarsOfferOutcome.Sent, await host.SellerAsync(s => s.OfferAsync(Member)));
                break;
            }

            case "answerPreCheckoutQuery":
            {
                var payload = await OfferAsync(host, Member);
                before = host.Api.LastSequence;
                Assert.True(await FaultInjector.DuringAsync(host, method, fault, () => host.HandleAsync(TelegramUpdates.PreCheckout(Member, payload, Price, "checkout-1"))));
                Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 2030 && r.Message.EndsWith("answer delivered: False", StringComparison.Ordinal));

                // The member tries again; this time the answer goes through.
                Assert.True(await host.HandleAsync(TelegramUpdates.PreCheckout(Member, payload, Price, "checkout-2")));
                Assert.True(host.Api.Succeeded("answerPreCheckoutQuery")[^1].Bool("ok"));
                break;
            }

            case "sendMessage (stage 1 after a payment)":
            {
                var payload = await OfferAsync(host, Member);
                var end = PeriodEnd(host);
                before = host.Api.LastSequence;
                Assert.True(await FaultInjector.DuringAsync(host, method, fault, () => PayAsync(host, Member, payload, "charge-1", end, isFirst: true)));
                Assert.Equal(VipEntryStage.ActivationConfirmation, (await host.StatusAsync(Member)).Stage);
                Assert.NotNull((await host.PaymentsAsync(p => p.FindAsync("charge-1")))?.AppliedAt);

                // A redelivery applies nothing again; /start shows the step.
                Assert.True(await PayAsync(host, Member, payload, "charge-1", end, isFirst: true));
                Assert.Equal(fault == BotApiFault.Timeout ? 1 : 0, Stage1PromptsSent(host, Member, before));
                await host.TelegramAsync(t => t.ShowStepAsync(Member));
                await WalkToJoinedAsync(host, Member);
                break;
            }

            case "refundStarPayment":
            {
                await PaidAndJoinedAsync(host, Member, "charge-1");
                before = host.Api.LastSequence;
                var refunded = await FaultInjector.DuringAsync(host, method, fault, async () => await host.SellerAsync(s => s.RefundLatestAsync(Member)));
                Assert.Equal(VipEntryStarsRefundOutcome.Failed, refunded);
                Assert.True((await host.StatusAsync(Member)).IsActive);
                Assert.Equal(VipEntryStarsRefundOutcome.Refunded, await host.SellerAsync(s => s.RefundLatestAsync(Member)));
                await AssertRefundedAsync(host);
                break;
            }

            case "editUserStarSubscription (after a refund)" or "sendMessage (refund notice)":
            {
                await PaidAndJoinedAsync(host, Member, "charge-1");
                before = host.Api.LastSequence;
                var refunded = await FaultInjector.DuringAsync(host, method, fault, async () => await host.SellerAsync(s => s.RefundLatestAsync(Member)));
                Assert.Equal(VipEntryStarsRefundOutcome.Refunded, refunded);
                host.Time.Advance(AfterTheLease);
                await host.SellerAsync(s => s.RunOnceAsync());
                await AssertRefundedAsync(host);
                break;
            }

            default:
            {
                await PaidAndJoinedAsync(host, Member, "charge-1");
                before = host.Api.LastSequence;
                var changed = await FaultInjector.DuringAsync(host, method, fault, async () => await host.SellerAsync(s => s.SetRenewalAsync(Member, renew: false)));
                Assert.Equal(VipEntryStarsRenewalOutcome.Failed, changed);
                Assert.Equal(VipEntryStarsRenewalOutcome.Done, await host.SellerAsync(s => s.SetRenewalAsync(Member, renew: false)));
                Assert.True((await host.StatusAsync(Member)).IsEntitled);
                break;
            }
        }

        Assert.True(host.Api.Calls(method).Any(c => c.Sequence > before), $"The step never called {method}:\n{host.Api.Describe()}");
    }

    [Fact]
    public void TheBotApiPoints_CoverEveryStarsMethod()
    {
        Assert.Equal(
            ["answerPreCheckoutQuery", "createInvoiceLink", "editUserStarSubscription", "refundStarPayment", "sendMessage"],
            Steps.Select(s => s.Split(" ")[0]).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Store_TryClaimFails_ThePaymentUpdateFails_AndItsRedeliveryActivatesOnce()
    {
        var (host, store, _) = Create();
        await using var _h = host;
        var payload = await OfferAsync(host, Member);
        var end = PeriodEnd(host);

        store.FailNext(nameof(IVipEntryPaymentStore.TryClaimAsync));
        await Assert.ThrowsAsync<InvalidOperationException>(() => PayAsync(host, Member, payload, "charge-1", end, isFirst: true));
        Assert.Equal(VipEntryStage.NotEnrolled, (await host.StatusAsync(Member)).Stage);

        Assert.True(await PayAsync(host, Member, payload, "charge-1", end, isFirst: true));
        Assert.True(await PayAsync(host, Member, payload, "charge-1", end, isFirst: true));
        Assert.Equal(1, Stage1PromptsSent(host, Member));
    }

    [Fact]
    public async Task Store_MarkAppliedFails_TheWorkerFinishesIt_AfterTheLease_WithoutASecondActivation()
    {
        var (host, store, _) = Create();
        await using var _h = host;
        var payload = await OfferAsync(host, Member);
        var end = PeriodEnd(host);

        store.FailNext(nameof(IVipEntryPaymentStore.MarkAppliedAsync));
        await Assert.ThrowsAsync<InvalidOperationException>(() => PayAsync(host, Member, payload, "charge-1", end, isFirst: true));
        Assert.Equal(VipEntryStage.ActivationConfirmation, (await host.StatusAsync(Member)).Stage);
        Assert.True(await PayAsync(host, Member, payload, "charge-1", end, isFirst: true));   // held by the failed holder
        Assert.Null((await store.Inner.FindAsync("charge-1"))?.AppliedAt);

        host.Time.Advance(AfterTheLease);
        Assert.Equal(new VipEntryStarsCycleReport(1, 0, 0), await host.SellerAsync(s => s.RunOnceAsync()));
        Assert.NotNull((await store.Inner.FindAsync("charge-1"))?.AppliedAt);
        Assert.Equal(1, Stage1PromptsSent(host, Member));
    }

    [Fact]
    public async Task Store_ReleaseFails_AfterTheEngineFailed_ThePaymentIsAppliedOnce_AfterTheLease()
    {
        var (host, store, engineFails) = Create();
        await using var _h = host;
        var payload = await OfferAsync(host, Member);
        var end = PeriodEnd(host);

        engineFails.Value = true;
        store.FailNext(nameof(IVipEntryPaymentStore.ReleaseAsync));
        await Assert.ThrowsAsync<InvalidOperationException>(() => PayAsync(host, Member, payload, "charge-1", end, isFirst: true));
        Assert.True(store.Failed);
        Assert.Equal(VipEntryStage.NotEnrolled, (await host.StatusAsync(Member)).Stage);

        Assert.True(await PayAsync(host, Member, payload, "charge-1", end, isFirst: true));   // still held: nothing
        Assert.Equal(VipEntryStage.NotEnrolled, (await host.StatusAsync(Member)).Stage);
        host.Time.Advance(AfterTheLease);
        Assert.Equal(new VipEntryStarsCycleReport(1, 0, 0), await host.SellerAsync(s => s.RunOnceAsync()));
        Assert.Equal(VipEntryStage.ActivationConfirmation, (await host.StatusAsync(Member)).Stage);
        Assert.Equal(1, Stage1PromptsSent(host, Member));
    }

    [Fact]
    public async Task Store_EngineFails_TheClaimIsGivenBack_AndTheRedeliveryAppliesItAtOnce()
    {
        var (host, _, engineFails) = Create();
        await using var _h = host;
        var payload = await OfferAsync(host, Member);
        var end = PeriodEnd(host);

        engineFails.Value = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => PayAsync(host, Member, payload, "charge-1", end, isFirst: true));
        Assert.True(await PayAsync(host, Member, payload, "charge-1", end, isFirst: true));

        Assert.Equal(VipEntryStage.ActivationConfirmation, (await host.StatusAsync(Member)).Stage);
        Assert.Equal(1, Stage1PromptsSent(host, Member));
    }

    [Fact]
    public async Task Store_ClaimUnappliedFails_ThePassFails_AndTheNextPassApplies()
    {
        var (host, store, _) = Create();
        await using var _h = host;
        var now = VipEntryStateMachine.ToStorePrecision(host.Time.GetUtcNow());
        var orphan = new VipEntryPayment("charge-orphan", Member, "XTR", Price, now, PeriodEnd(host), true, true);
        Assert.Equal(VipEntryPaymentClaim.Claimed, await store.Inner.TryClaimAsync(orphan, "dead", now, now + TimeSpan.FromMinutes(1)));
        host.Time.Advance(AfterTheLease);

        store.FailNext(nameof(IVipEntryPaymentStore.ClaimUnappliedAsync));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await host.SellerAsync(s => s.RunOnceAsync()));
        Assert.Equal(new VipEntryStarsCycleReport(1, 0, 0), await host.SellerAsync(s => s.RunOnceAsync()));
        Assert.Equal(1, Stage1PromptsSent(host, Member));
    }

    [Theory]
    [InlineData(nameof(IVipEntryPaymentStore.FindLatestAsync))]
    [InlineData(nameof(IVipEntryPaymentStore.MarkRefundedAsync))]
    public async Task Store_FailsBeforeTheRefund_NothingIsRefunded_AndTheAdminsRetryRefunds(string method)
    {
        var (host, store, _) = Create();
        await using var _h = host;
        host.Api.TrackMembership = true;
        await PaidAndJoinedAsync(host, Member, "charge-1");

        store.FailNext(method);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await host.SellerAsync(s => s.RefundLatestAsync(Member)));
        Assert.Empty(host.Api.Calls("refundStarPayment"));
        Assert.True((await host.StatusAsync(Member)).IsEntitled);

        Assert.Equal(VipEntryStarsRefundOutcome.Refunded, await host.SellerAsync(s => s.RefundLatestAsync(Member)));
        await AssertRefundedAsync(host);
    }

    [Theory]
    [InlineData(nameof(IVipEntryPaymentStore.ClaimOwedCancellationsAsync))]
    [InlineData(nameof(IVipEntryPaymentStore.ConfirmRenewalCanceledAsync))]
    public async Task Store_FailsWhileCancelingTheRenewal_TheRefundStands_AndTheWorkerCancelsIt(string method)
    {
        var (host, store, _) = Create();
        await using var _h = host;
        host.Api.TrackMembership = true;
        await PaidAndJoinedAsync(host, Member, "charge-1");

        store.FailNext(method);
        Assert.Equal(VipEntryStarsRefundOutcome.Refunded, await host.SellerAsync(s => s.RefundLatestAsync(Member)));
        Assert.True(store.Failed);
        Assert.Null((await store.Inner.FindAsync("charge-1"))?.RenewalCanceledAt);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 2039);

        host.Time.Advance(AfterTheLease);
        Assert.Equal(new VipEntryStarsCycleReport(0, 1, 0), await host.SellerAsync(s => s.RunOnceAsync()));
        await AssertRefundedAsync(host);
    }

    private static (TelegramTestHost Host, FaultyPaymentStore Store, StrongBox<bool> EngineFails) Create()
    {
        var store = new FaultyPaymentStore(new InMemoryVipEntryPaymentStore());
        var engineFails = new StrongBox<bool>();
        var host = new TelegramTestHost(starsPrice: Price, services: s =>
        {
            s.AddSingleton<IVipEntryPaymentStore>(store);
            s.AddScoped<VipEntryStateMachine>();
            s.AddScoped(sp => FailingEngine.Wrap(sp.GetRequiredService<VipEntryStateMachine>(), engineFails));
        });
        return (host, store, engineFails);
    }

    // Refunded, out of the chat, its renewal canceled; the payment never applied again.
    private static async Task AssertRefundedAsync(TelegramTestHost host)
    {
        var payment = await host.PaymentsAsync(p => p.FindAsync("charge-1"));
        Assert.NotNull(payment?.RefundedAt);
        Assert.NotNull(payment.RenewalCanceledAt);
        Assert.False((await host.StatusAsync(Member)).IsActive);
        Assert.Equal("left", host.Api.ChatMemberStatus(Member));
        Assert.Contains(host.Api.Calls("editUserStarSubscription"), c => c.Bool("is_canceled") == true);
        await host.RunChannelCycleAsync();
        Assert.Single(host.Api.Succeeded("banChatMember"));
    }
}
